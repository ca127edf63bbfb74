package dev.presence.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Holds a server to a share of one core with the kernel's CFS bandwidth control, while its capacity is searched
 * and it is overloaded. The load generator spends more per delivery than a lean server, so where it has only one
 * core (a two-core machine), a server with a whole core outlasts it: the search then ends at the load generator's
 * limit and finds only a lower bound. Every system is held to the same share, so capacities still compare; they are
 * capacities on that share, not on a core.
 *
 * <p>Needs a writable cgroup cpu controller: version 1 ({@code cpu.cfs_quota_us}) or version 2 ({@code cpu.max}),
 * which usually means root. Without one the experiments run unheld and the report says why. The group is made
 * once per suite and removed by {@link #close()}; a held process goes back to the group it came from.
 */
final class CpuQuota implements AutoCloseable {
  /** A short period bounds how long a throttled server stalls: at most the period less the quota. */
  static final long PERIOD_MICROS = 10_000;
  private static final Path V2_ROOT = Path.of("/sys/fs/cgroup");
  private static final List<Path> V1_MOUNTS = List.of(Path.of("/sys/fs/cgroup/cpu"),
      Path.of("/sys/fs/cgroup/cpu,cpuacct"));

  private final double share;
  private final Path mount;
  private final boolean v2;
  private final Path group;
  private final String unavailable;

  private CpuQuota(double share, Path mount, boolean v2, Path group, String unavailable) {
    this.share = share;
    this.mount = mount;
    this.v2 = v2;
    this.group = group;
    this.unavailable = unavailable;
  }

  /**
   * @param share the share of one core a held process may use; 0 holds nothing
   * @return a quota ready to hold processes, or one that says why it cannot
   */
  static CpuQuota create(double share) {
    if (share <= 0) {
      return new CpuQuota(0, null, false, null, "the profile holds no server");
    }
    if (share > 1) {
      throw new IllegalArgumentException("a share of one core is at most 1, not " + share);
    }
    long quotaMicros = Math.round(share * PERIOD_MICROS);
    String name = "presence-bench-" + ProcessHandle.current().pid();
    Path group = null;
    try {
      if (hasCpuControllerV2()) {
        enableCpuForChildren();
        group = Files.createDirectories(V2_ROOT.resolve(name));
        Files.writeString(group.resolve("cpu.max"), quotaMicros + " " + PERIOD_MICROS);
        return new CpuQuota(share, V2_ROOT, true, group, null);
      }
      Optional<Path> v1 = V1_MOUNTS.stream().filter(m -> Files.exists(m.resolve("cpu.cfs_quota_us"))).findFirst();
      if (v1.isEmpty()) {
        return new CpuQuota(0, null, false, null, "no cgroup cpu controller found");
      }
      group = Files.createDirectories(v1.get().resolve(name));
      Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
      Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros));
      return new CpuQuota(share, v1.get(), false, group, null);
    } catch (IOException | SecurityException e) {
      removeQuietly(group);
      return new CpuQuota(0, null, false, null, "the cgroup cpu controller is not writable here (" + e + ")");
    }
  }

  /** A group made before a later step failed holds no process yet, so the kernel lets it go. */
  private static void removeQuietly(Path group) {
    if (group == null) {
      return;
    }
    try {
      Files.deleteIfExists(group);
    } catch (IOException | SecurityException ignored) {
      // Nothing was held in it; an empty group left behind costs nothing but its name.
    }
  }

  private static boolean hasCpuControllerV2() throws IOException {
    Path controllers = V2_ROOT.resolve("cgroup.controllers");
    return Files.exists(controllers)
        && Arrays.asList(Files.readString(controllers).trim().split("\\s+")).contains("cpu");
  }

  private static void enableCpuForChildren() throws IOException {
    Path subtree = V2_ROOT.resolve("cgroup.subtree_control");
    if (!Arrays.asList(Files.readString(subtree).trim().split("\\s+")).contains("cpu")) {
      Files.writeString(subtree, "+cpu");
    }
  }

  /** @return whether processes can be held */
  boolean available() {
    return unavailable == null;
  }

  /** @return the share of one core a held process gets, 0 when nothing is held */
  double share() {
    return share;
  }

  /** @return why nothing is held, or null when processes can be */
  String unavailableReason() {
    return unavailable;
  }

  /**
   * Moves every thread of a process, and the threads it starts later, under the quota.
   *
   * @param pid a live process
   * @return what moves it back to the group it came from when closed; a process that has exited meanwhile (a server
   *     that crashed under load) has left the group by itself
   * @throws IOException if the kernel refused the move
   */
  Hold hold(long pid) throws IOException {
    if (!available()) {
      throw new IllegalStateException("cannot hold a process: " + unavailable);
    }
    Path home = mount.resolve(groupOf(pid));
    Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
    return () -> {
      try {
        Files.writeString(home.resolve("cgroup.procs"), Long.toString(pid));
      } catch (IOException e) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          throw e;
        }
      }
    };
  }

  /** The process's group under this controller, relative to its mount, from /proc/PID/cgroup. */
  private String groupOf(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"), StandardCharsets.UTF_8)) {
      String[] fields = line.split(":", 3);
      boolean ours = v2 ? fields[0].equals("0") && fields[1].isEmpty()
          : Arrays.asList(fields[1].split(",")).contains("cpu");
      if (ours) {
        return fields[2].startsWith("/") ? fields[2].substring(1) : fields[2];
      }
    }
    throw new IOException("process " + pid + " is in no cpu cgroup");
  }

  /** Removes the group; a process still in it would keep it, so every {@link Hold} must be closed first. */
  @Override
  public void close() throws IOException {
    if (group != null) {
      Files.deleteIfExists(group);
    }
  }

  /** A process under the quota until closed. */
  interface Hold extends AutoCloseable {
    @Override
    void close() throws IOException;
  }
}
