package dev.presence.clientadapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.ClientConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.report.ConsoleReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit's client mode against the Java client, through the adapter this module ships. */
class JavaClientConformanceTest {

  /** How the report names the adapter: on a thread of the test's JVM, speaking the same protocol over pipes. */
  static final String IN_PROCESS = JavaClientAdapter.class.getSimpleName() + " in process";

  /** Scenarios in the build; a run from the command line takes the kit's default. */
  private static final int SCENARIOS = 3;

  /**
   * Runs an adapter from this test's class path, as {@code java -jar presence-client-adapter.jar} would. Every case
   * starts a fresh adapter, so it runs with the client compiler only and the serial collector: they start faster,
   * which shortens the build, and change nothing the kit judges.
   */
  static List<String> adapterCommand(String mainClass) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass);
  }

  @Test
  void theJavaClientPassesTheClientKit() throws InterruptedException {
    SuiteResult result = ClientConformanceSuite.builder(IN_PROCESS, InProcessAdapter.javaClient(
            AdapterOptions.defaults()))
        .scenarios(SCENARIOS)
        .build().run();
    ConsoleReport.print(result, System.out);

    assertThat(result.target()).startsWith("client presence-client");
    assertThat(result.results()).filteredOn(RequirementResult::failsRun)
        .extracting(r -> r.requirement().id() + " " + r.verdict() + ": " + r.detail()).isEmpty();
    assertThat(result.count(Verdict.PASS)).as("rules passed").isPositive();
  }
}
