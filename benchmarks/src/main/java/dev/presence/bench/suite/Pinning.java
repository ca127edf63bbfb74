package dev.presence.bench.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the server and the load generator off each other's core with {@code taskset}, so the server's
 * CPU accounting is its own work and the load generator cannot steal its cycles. On a machine without
 * taskset or with one core, commands run unpinned and the report says so.
 */
final class Pinning {
  private final boolean available;

  private Pinning(boolean available) {
    this.available = available;
  }

  static Pinning detect() {
    boolean taskset = Files.isExecutable(Path.of("/usr/bin/taskset")) || Files.isExecutable(Path.of("/bin/taskset"));
    return new Pinning(taskset && Runtime.getRuntime().availableProcessors() >= 2);
  }

  boolean available() {
    return available;
  }

  /** The server gets the last core; interrupts and the load generator stay on the others. */
  List<String> server(List<String> command) {
    return pin(lastCore(), command);
  }

  List<String> loadGenerator(List<String> command) {
    return pin("0-" + (Runtime.getRuntime().availableProcessors() - 2), command);
  }

  private String lastCore() {
    return Integer.toString(Runtime.getRuntime().availableProcessors() - 1);
  }

  private List<String> pin(String cores, List<String> command) {
    if (!available) {
      return command;
    }
    List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cores));
    pinned.addAll(command);
    return pinned;
  }
}
