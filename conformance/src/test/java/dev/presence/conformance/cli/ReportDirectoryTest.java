package dev.presence.conformance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Reports go under {@code target/} of the working directory unless {@code --report-dir} says otherwise, and the
 * console says where. A run that selects no rule never connects, so no server is needed.
 */
class ReportDirectoryTest {

  private static final Path DEFAULT = Path.of("target", "conformance-report");

  @Test
  void byDefaultReportsGoUnderTargetAndTheConsoleSaysWhere() throws Exception {
    String console = run("--target", "localhost:1", "--run", "NO-SUCH-RULE");

    for (String report : new String[] {"report.json", "junit.xml", "report.html"}) {
      assertThat(DEFAULT.resolve(report)).exists();
    }
    assertThat(console.lines().toList()).last().isEqualTo("reports written to "
        + DEFAULT.toAbsolutePath().normalize() + ": report.json, junit.xml, report.html");
  }

  @Test
  void reportDirStillChoosesTheDirectory(@TempDir Path dir) throws Exception {
    Path chosen = dir.resolve("reports");

    String console = run("--target", "localhost:1", "--run", "NO-SUCH-RULE", "--report-dir", chosen.toString());

    assertThat(Files.readString(chosen.resolve("junit.xml"), StandardCharsets.UTF_8)).contains("<testsuite");
    assertThat(console).contains("reports written to " + chosen.toAbsolutePath().normalize() + ": ");
  }

  @Test
  void theRunAnnouncesItselfInOneLineBeforeTheTable() throws Exception {
    String console = run("--target", "localhost:1", "--run", "NO-SUCH-RULE", "--report-dir",
        DEFAULT.toString());

    assertThat(console.lines().takeWhile(l -> !l.startsWith("REQUIREMENT ")).filter(l -> !l.isBlank()).toList())
        .hasSize(2)
        .first().asString().startsWith("running 0 directed cases, 0 random scenarios and 0 transcripts against "
            + "localhost:1");
  }

  /** Runs the command line with standard output captured; the kit reports on standard output only. */
  private static String run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream console = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertThat(new CommandLine(new ConformanceMain()).execute(args)).isZero();
    } finally {
      System.setOut(console);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
