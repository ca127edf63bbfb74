package dev.presence.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JMH micro-benchmarks of the server's hot path in their own forked JVM, on the core the servers
 * use (no server runs then), and reads JMH's CSV result back for the report.
 */
final class MicroBenchmarks {
  private static final String PACKAGE = "dev.presence.bench.jmh";

  private MicroBenchmarks() {}

  /** @return the JMH command for a profile: iterations sized to its purpose */
  static List<String> command(Launches launches, Profile profile, Path csv) {
    List<String> cmd = new ArrayList<>(List.of("java", "-cp", launches.benchJar().toString(), "org.openjdk.jmh.Main"));
    cmd.addAll(switch (profile.name()) {
      case "full" -> List.of("-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s");
      case "quick" -> List.of("-f", "1", "-wi", "1", "-w", "1s", "-i", "2", "-r", "1s");
      default -> List.of("-f", "1", "-wi", "0", "-i", "1", "-r", "100ms");
    });
    cmd.addAll(List.of("-rf", "csv", "-rff", csv.toString(), PACKAGE));
    return cmd;
  }

  /** @return one row per benchmark and parameter set: name, params, score, error, unit */
  static List<String[]> run(Launches launches, Pinning pinning, Profile profile, Path csv)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(pinning.server(command(launches, profile, csv)))
        .directory(launches.repo().toFile()).redirectErrorStream(true)
        .redirectOutput(csv.resolveSibling("jmh.log").toFile()).start();
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("JMH failed; see " + csv.resolveSibling("jmh.log"));
    }
    return parse(Files.readAllLines(csv, StandardCharsets.UTF_8));
  }

  static List<String[]> parse(List<String> lines) {
    List<String[]> rows = new ArrayList<>();
    if (lines.isEmpty()) {
      return rows;
    }
    List<String> header = split(lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      List<String> cells = split(line);
      if (cells.size() < 7) {
        continue;
      }
      StringBuilder params = new StringBuilder();
      for (int i = 7; i < cells.size() && i < header.size(); i++) {
        if (!cells.get(i).isEmpty()) {
          params.append(params.length() == 0 ? "" : ", ")
              .append(header.get(i).replace("Param: ", "")).append('=').append(cells.get(i));
        }
      }
      String name = cells.get(0).substring(cells.get(0).lastIndexOf('.', cells.get(0).lastIndexOf('.') - 1) + 1);
      rows.add(new String[] {name, params.toString(), cells.get(4), cells.get(5), cells.get(6)});
    }
    return rows;
  }

  static List<String> split(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }
}
