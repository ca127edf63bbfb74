package dev.presence.bench.suite;

import java.io.IOException;
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

  private Pinning(boolean available, int cores) {
    this.available = available;
    this.cores = cores;
  }

  private final int cores;

  static Pinning detect() {
    boolean taskset = Files.isExecutable(Path.of("/usr/bin/taskset")) || Files.isExecutable(Path.of("/bin/taskset"));
    int cores = onlineCores();
    return new Pinning(taskset && cores >= 2, cores);
  }

  /**
   * The machine's cores, not this process's: the suite itself may run with a narrower affinity, which
   * {@link Runtime#availableProcessors()} would report instead.
   */
  static int onlineCores() {
    try {
      String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
      int count = 0;
      for (String range : online.split(",")) {
        String[] ends = range.split("-");
        count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
      }
      return count;
    } catch (IOException | RuntimeException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  int cores() {
    return cores;
  }

  boolean available() {
    return available;
  }

  /** The server gets the last core; interrupts and the load generator stay on the others. */
  List<String> server(List<String> command) {
    return pin(lastCore(), command);
  }

  List<String> loadGenerator(List<String> command) {
    return pin(cores == 2 ? "0" : "0-" + (cores - 2), command);
  }

  private String lastCore() {
    return Integer.toString(cores - 1);
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
