package dev.presence.bench.loadgen;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * A process's own accounting from Linux {@code /proc}: CPU time charged to all of its threads, and its
 * resident set. Reading another process's numbers, rather than sampling from inside it, keeps the
 * measurement identical for a JVM and a Node server.
 */
public final class ProcessStats {
  /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux ABI this runs on. */
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  /** HotSpot names its JIT compiler threads so; /proc keeps the first 15 bytes of a thread's name. */
  private static final List<String> JIT_THREAD_NAMES = List.of("C1 CompilerThre", "C2 CompilerThre");

  private final Path stat;
  private final Path status;
  private final Path tasks;

  private ProcessStats(Path dir) {
    this.stat = dir.resolve("stat");
    this.status = dir.resolve("status");
    this.tasks = dir.resolve("task");
  }

  /** @param pid a live process @return its stats */
  public static ProcessStats of(long pid) {
    return new ProcessStats(Path.of("/proc", Long.toString(pid)));
  }

  /** @return this process's stats */
  public static ProcessStats self() {
    return of(ProcessHandle.current().pid());
  }

  /** @return user plus system CPU time consumed so far, in microseconds, at 10 ms granularity */
  public long cpuMicros() {
    return cpuMicros(read(stat));
  }

  /**
   * CPU time of a JVM's JIT compiler threads, which a Node process does not have: V8 compiles on threads it
   * shares with other work, so its compiling cannot be told apart this way.
   *
   * @return user plus system CPU time consumed so far by the process's JIT compiler threads, in microseconds
   *     at 10 ms granularity; empty when it has none
   */
  public OptionalLong jitCpuMicros() {
    long micros = 0;
    boolean found = false;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        String line;
        try {
          line = Files.readString(thread.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
        if (JIT_THREAD_NAMES.stream().anyMatch(name::startsWith)) {
          found = true;
          micros += cpuMicros(line);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + tasks + ": " + e.getMessage(), e);
    }
    return found ? OptionalLong.of(micros) : OptionalLong.empty();
  }

  private static long cpuMicros(String statLine) {
    // The command name (field 2) may contain spaces and parentheses; fields count from the last ')'.
    String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(fields[11]);
    long stime = Long.parseLong(fields[12]);
    return (utime + stime) * 1_000_000L / CLOCK_TICKS_PER_SECOND;
  }

  /** @return the resident set size now, in kibibytes */
  public long rssKib() {
    for (String line : read(status).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException("no VmRSS in " + status);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
