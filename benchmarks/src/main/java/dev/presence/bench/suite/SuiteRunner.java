package dev.presence.bench.suite;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import dev.presence.bench.loadgen.ProcessStats;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a profile's experiments against every system, the load generator as one separate process. The
 * room-size matrix, which the CPU ratios come from, runs every server side by side and takes turns run by
 * run, so a change in the machine's speed while the suite runs falls on every system alike; before each
 * run, every server must have gone quiet, so none measures next to another's backlog. The other
 * experiments run one system after another. Systems one process serves together (the two presence.v1
 * bindings) share that process throughout, as their runs never overlap.
 */
final class SuiteRunner {
  static final int RATE_HZ = 20;
  static final int IDLE_ROOM_SIZE = 50;
  static final int STALL_ROOM_SIZE = 100;
  private static final int SCALE_ROOM_SIZE = 5;
  private static final int WARMUP_ROOM_SIZE = 25;
  /** Nodes of the cluster experiment: the fewest where a room's deliveries mostly cross nodes (2 in 3). */
  static final int CLUSTER_NODES = 3;
  private static final String REDIS_READY = "Ready to accept connections";
  /** A server using less than this share of a core over one sample counts as quiet. */
  private static final double QUIET_CPU_SHARE = 0.10;
  private static final long QUIET_SAMPLE_MILLIS = 500;
  private static final long QUIET_TIMEOUT_MILLIS = 30_000;

  private final Profile profile;
  private final Launches launches;
  private final Pinning pinning;
  private final PrintStream log;
  private final List<Point> points = new ArrayList<>();
  private LoadGeneratorProcess loadGenerator;

  SuiteRunner(Profile profile, Launches launches, Pinning pinning, PrintStream log) {
    this.profile = profile;
    this.launches = launches;
    this.pinning = pinning;
    this.log = log;
  }

  List<Point> run(List<SystemUnderTest> systems) throws IOException, InterruptedException {
    try (LoadGeneratorProcess generator = new LoadGeneratorProcess(
        pinning.loadGenerator(launches.loadGenerator()), launches.repo().toFile())) {
      this.loadGenerator = generator;
      runAll(systems);
    }
    return points;
  }

  private void runAll(List<SystemUnderTest> chosen) throws IOException, InterruptedException {
    List<SystemUnderTest> systems = chosen.stream().filter(s -> s != SystemUnderTest.PRESENCE_CLUSTER).toList();
    Map<SystemUnderTest, ServerProcess> servers = new LinkedHashMap<>();
    try {
      for (SystemUnderTest system : systems) {
        ServerProcess sibling = Launches.servedTogether(system).stream().map(servers::get)
            .filter(s -> s != null).findFirst().orElse(null);
        servers.put(system, sibling != null ? sibling : startServer(system));
      }
      for (Map.Entry<SystemUnderTest, ServerProcess> e : servers.entrySet()) {
        warmUp(e.getKey(), e.getValue(), servers.values());
      }
      Map<SystemUnderTest, Target> targets = new LinkedHashMap<>();
      servers.forEach((system, server) -> targets.put(system, Target.of(system, server)));
      roomSizeMatrix("matrix", profile.roomSizes(), targets, servers.values());
      for (Map.Entry<SystemUnderTest, ServerProcess> e : servers.entrySet()) {
        scaleAndCapacity(e.getKey(), e.getValue(), servers.values());
      }
    } finally {
      for (ServerProcess server : Set.copyOf(servers.values())) {
        server.close();
      }
    }
    for (SystemUnderTest system : systems) {
      onFreshServer(system, server -> points.add(point("idle", system, server,
          ceilDiv(profile.idleSessions(), IDLE_ROOM_SIZE), IDLE_ROOM_SIZE, 0, 0, 0, 0, 1)));
      if (profile.stallMillis() > 0 && stallsMeaningfully(system)) {
        onFreshServer(system, server -> points.add(point("stall", system, server, 1, STALL_ROOM_SIZE, RATE_HZ,
            1, profile.stallMillis(), profile.stallMillis() / 12, 1)));
      }
    }
    if (chosen.contains(SystemUnderTest.PRESENCE_CLUSTER) && !profile.clusterRoomSizes().isEmpty()) {
      cluster();
    }
  }

  /**
   * Three nodes on one Redis against one node, run by run in turns as in the room-size matrix, on fresh
   * processes started after every other experiment. The nodes, Redis and the single node all share the
   * server core, so CPU per delivery of all four cluster processes together compares with the single
   * node's directly: the sum is what the cluster costs to serve the same load.
   */
  private void cluster() throws IOException, InterruptedException {
    log.printf("== presence-cluster: %d nodes on one Redis, against one node%n", CLUSTER_NODES);
    List<ServerProcess> all = new ArrayList<>();
    try {
      Target clustered;
      Target single;
      try {
        int[] free = freePorts(1 + 2 * CLUSTER_NODES);
        String redisPort = Integer.toString(free[0]);
        ServerProcess redis = ServerProcess.startAuxiliary(pinning.server(launches.redis(redisPort)), free[0],
            REDIS_READY);
        all.add(redis);
        List<ServerProcess> nodes = new ArrayList<>();
        for (int i = 0; i < CLUSTER_NODES; i++) {
          int grpc = free[1 + 2 * i];
          int ws = free[2 + 2 * i];
          ServerProcess node = ServerProcess.start(pinning.server(launches.clusterNode(Integer.toString(grpc),
              Integer.toString(ws), redisPort)), Map.of(SystemUnderTest.PRESENCE, grpc, SystemUnderTest.PRESENCE_WS, ws));
          nodes.add(node);
          all.add(node);
        }
        ServerProcess one = startServer(SystemUnderTest.PRESENCE);
        all.add(one);
        single = Target.of(SystemUnderTest.PRESENCE, one);
        clustered = Target.cluster(nodes, redis);
      } catch (IOException | IllegalStateException e) {
        String reason = "cluster did not start: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        log.println(reason);
        for (int n : profile.clusterRoomSizes()) {
          points.add(new Point("cluster", SystemUnderTest.PRESENCE_CLUSTER, ceilDiv(profile.matrixSessions(), n), n,
              List.of(), reason));
        }
        return;
      }
      Map<SystemUnderTest, Target> targets = new LinkedHashMap<>();
      targets.put(SystemUnderTest.PRESENCE, single);
      targets.put(SystemUnderTest.PRESENCE_CLUSTER, clustered);
      if (profile.serverWarmup()) {
        for (Map.Entry<SystemUnderTest, Target> e : targets.entrySet()) {
          awaitQuiet(all);
          try {
            runOnce("warmup", e.getKey(), e.getValue(), ceilDiv(profile.matrixSessions(), WARMUP_ROOM_SIZE),
                WARMUP_ROOM_SIZE, RATE_HZ, 0, profile.measureMillis(), 0, 1);
          } catch (IllegalStateException ignored) {
            // Logged by runOnce; the measured runs report failures themselves.
          }
        }
      }
      roomSizeMatrix("cluster", profile.clusterRoomSizes(), targets, all);
    } finally {
      for (ServerProcess p : all) {
        p.close();
      }
    }
  }

  /**
   * Where a run sends its load and whose CPU it reads.
   *
   * @param ports the driver's ports, comma-separated: one, or one per cluster node
   * @param serverPids the server processes, comma-separated
   * @param redisPid the cluster's Redis, 0 for none
   * @param processes every process the run depends on
   */
  private record Target(String ports, String serverPids, long redisPid, List<ServerProcess> processes) {
    static Target of(SystemUnderTest system, ServerProcess server) {
      return new Target(Integer.toString(server.port(system)), Long.toString(server.pid()), 0, List.of(server));
    }

    static Target cluster(List<ServerProcess> nodes, ServerProcess redis) {
      List<String> ports = new ArrayList<>();
      List<String> pids = new ArrayList<>();
      for (ServerProcess node : nodes) {
        ports.add(Integer.toString(node.port(SystemUnderTest.PRESENCE)));
        pids.add(Long.toString(node.pid()));
      }
      List<ServerProcess> processes = new ArrayList<>(nodes);
      processes.add(redis);
      return new Target(String.join(",", ports), String.join(",", pids), redis.pid(), processes);
    }

    boolean isAlive() {
      return processes.stream().allMatch(ServerProcess::isAlive);
    }
  }

  /**
   * The stall experiment asks whether a frozen reader grows server memory; only systems that carry a
   * 100-user room at 20 Hz at all can answer it, the others grow from overload alone.
   */
  private static boolean stallsMeaningfully(SystemUnderTest system) {
    return system == SystemUnderTest.PRESENCE || system == SystemUnderTest.PRESENCE_WS
        || system == SystemUnderTest.RELAY_COALESCED;
  }

  /** Starts the process that serves the system, on a free port for each system it serves. */
  private ServerProcess startServer(SystemUnderTest system) throws IOException, InterruptedException {
    List<SystemUnderTest> served = Launches.servedTogether(system);
    int[] free = freePorts(served.size());
    Map<SystemUnderTest, Integer> ports = new EnumMap<>(SystemUnderTest.class);
    for (int i = 0; i < free.length; i++) {
      ports.put(served.get(i), free[i]);
    }
    return ServerProcess.start(pinning.server(launches.server(system, s -> Integer.toString(ports.get(s)))), ports);
  }

  private void warmUp(SystemUnderTest system, ServerProcess server, Collection<ServerProcess> all)
      throws IOException, InterruptedException {
    if (profile.serverWarmup()) {
      log.printf("== %s: warm-up%n", system.label());
      awaitQuiet(all);
      point("warmup", system, server, ceilDiv(profile.matrixSessions(), WARMUP_ROOM_SIZE), WARMUP_ROOM_SIZE,
          RATE_HZ, 0, profile.measureMillis(), 0, 2);
    }
  }

  /**
   * Round after round, every system takes one run of the point, starting one system later each round.
   *
   * @param quiet every process that must be quiet before a run, a process serving several systems possibly
   *     more than once
   */
  private void roomSizeMatrix(String experiment, List<Integer> roomSizes, Map<SystemUnderTest, Target> servers,
      Collection<ServerProcess> quiet) throws IOException, InterruptedException {
    List<SystemUnderTest> systems = new ArrayList<>(servers.keySet());
    Map<SystemUnderTest, List<Point>> bySystem = new LinkedHashMap<>();
    for (int n : roomSizes) {
      int rooms = ceilDiv(profile.matrixSessions(), n);
      Map<SystemUnderTest, List<LoadResult>> runs = new LinkedHashMap<>();
      Map<SystemUnderTest, String> failures = new LinkedHashMap<>();
      for (int round = 0; round < profile.runsPerPoint(); round++) {
        for (int i = 0; i < systems.size(); i++) {
          SystemUnderTest system = systems.get((i + round) % systems.size());
          Target server = servers.get(system);
          if (failures.containsKey(system)) {
            continue;
          }
          awaitQuiet(quiet);
          try {
            runs.computeIfAbsent(system, s -> new ArrayList<>()).add(runOnce(experiment, system, server, rooms, n,
                RATE_HZ, 0, profile.measureMillis(), 0, round + 1));
          } catch (IllegalStateException e) {
            failures.put(system, e.getMessage().lines().findFirst().orElse("failed"));
          }
          if (!server.isAlive()) {
            failures.put(system, "server process exited");
          }
        }
      }
      for (SystemUnderTest system : systems) {
        bySystem.computeIfAbsent(system, s -> new ArrayList<>()).add(new Point(experiment, system, rooms, n,
            runs.getOrDefault(system, List.of()), failures.get(system)));
      }
    }
    bySystem.values().forEach(points::addAll);
  }

  private void scaleAndCapacity(SystemUnderTest system, ServerProcess server, Collection<ServerProcess> all)
      throws IOException, InterruptedException {
    if (!server.isAlive()) {
      return;
    }
    if (profile.scaleSessions() > 0) {
      awaitQuiet(all);
      points.add(point("scale", system, server, ceilDiv(profile.scaleSessions(), SCALE_ROOM_SIZE),
          SCALE_ROOM_SIZE, RATE_HZ, 0, profile.measureMillis(), 0, 1));
    }
    for (int n : profile.capacityRoomSizes()) {
      for (int rooms = 1; rooms * n <= profile.capacityMaxSessions(); rooms *= 2) {
        awaitQuiet(all);
        Point p = point("capacity", system, server, rooms, n, RATE_HZ, 0, profile.measureMillis(), 0, 1);
        points.add(p);
        if (!p.withinService() || p.loadGeneratorBound()) {
          break;
        }
      }
    }
  }

  /**
   * Waits until no server uses the server core, such as a saturated one still draining its backlog.
   *
   * @param servers every server, a process that serves several systems possibly more than once
   */
  private void awaitQuiet(Collection<ServerProcess> servers) throws InterruptedException {
    long deadline = System.nanoTime() + QUIET_TIMEOUT_MILLIS * 1_000_000L;
    while (System.nanoTime() < deadline) {
      long before = cpuMicros(servers);
      Thread.sleep(QUIET_SAMPLE_MILLIS);
      if (cpuMicros(servers) - before <= QUIET_CPU_SHARE * QUIET_SAMPLE_MILLIS * 1_000) {
        return;
      }
    }
    log.printf("servers still busy after %d s; the next run measures anyway%n", QUIET_TIMEOUT_MILLIS / 1_000);
  }

  private static long cpuMicros(Collection<ServerProcess> servers) {
    long total = 0;
    for (ServerProcess server : Set.copyOf(servers)) {
      if (server.isAlive()) {
        total += ProcessStats.of(server.pid()).cpuMicros();
      }
    }
    return total;
  }

  private interface ServerWork {
    void run(ServerProcess server) throws IOException, InterruptedException;
  }

  private void onFreshServer(SystemUnderTest system, ServerWork work) throws IOException, InterruptedException {
    try (ServerProcess server = startServer(system)) {
      work.run(server);
    }
  }

  /** Runs the point's runs; a run that fails ends the point with its reason, and the suite goes on. */
  private Point point(String experiment, SystemUnderTest system, ServerProcess server, int rooms, int users,
      int rateHz, int stalled, long measureMillis, long rssSampleMillis) throws IOException, InterruptedException {
    return point(experiment, system, server, rooms, users, rateHz, stalled, measureMillis, rssSampleMillis,
        profile.runsPerPoint());
  }

  private Point point(String experiment, SystemUnderTest system, ServerProcess server, int rooms, int users,
      int rateHz, int stalled, long measureMillis, long rssSampleMillis, int runCount)
      throws IOException, InterruptedException {
    List<LoadResult> runs = new ArrayList<>();
    String failure = null;
    for (int run = 1; run <= runCount && failure == null; run++) {
      try {
        runs.add(runOnce(experiment, system, Target.of(system, server), rooms, users, rateHz, stalled,
            measureMillis, rssSampleMillis, run));
      } catch (IllegalStateException e) {
        failure = e.getMessage().lines().findFirst().orElse("failed");
      }
      if (!server.isAlive()) {
        failure = "server process exited";
      }
    }
    return new Point(experiment, system, rooms, users, runs, failure);
  }

  /** @throws IllegalStateException when the run failed, with the load generator's reason */
  private LoadResult runOnce(String experiment, SystemUnderTest system, Target server, int rooms, int users,
      int rateHz, int stalled, long measureMillis, long rssSampleMillis, int run)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--system", system.label(), "--port", server.ports(),
        "--server-pid", server.serverPids(), "--redis-pid", Long.toString(server.redisPid()),
        "--rooms", Integer.toString(rooms),
        "--users", Integer.toString(users), "--rate-hz", Integer.toString(rateHz),
        "--warmup-millis", Long.toString(profile.warmupMillis()),
        "--measure-millis", Long.toString(measureMillis), "--stalled", Integer.toString(stalled),
        "--rss-sample-millis", Long.toString(rssSampleMillis), "--seed", Integer.toString(run)));
    long timeout = 180_000 + profile.warmupMillis() + measureMillis;
    try {
      LoadResult r = loadGenerator.run(args, timeout);
      log.printf("%-18s %-9s R=%-5d N=%-4d run %d: %s%n", system.label(), experiment, rooms, users, run,
          summary(r));
      return r;
    } catch (IllegalStateException e) {
      log.printf("%-18s %-9s R=%-5d N=%-4d run %d FAILED: %s%n", system.label(), experiment, rooms, users,
          run, e.getMessage());
      throw e;
    }
  }

  private static String summary(LoadResult r) {
    if (Double.isNaN(r.number("fraction"))) {
      return String.format("idle %.1f KiB/session", r.number("idle_kib_per_session"));
    }
    return String.format("%.0f deliveries/s, %.2f%% delivered, p99 %.1f ms, %.3f us/delivery, server %.0f%%, loadgen %.0f%%",
        r.number("logical_dps"), 100 * r.number("fraction"), r.number("p99_ms"),
        r.number("server_cpu_us_per_delivery"), 100 * r.number("server_cpu_util"),
        100 * r.number("loadgen_cpu_util"))
        + (Double.isNaN(r.number("nodes")) ? "" : String.format(
            ", p99 same node %.1f ms, across nodes %.1f ms, Redis %.0f%% (%.1f us/change)",
            r.number("same_node_p99_ms"), r.number("cross_node_p99_ms"), 100 * r.number("redis_cpu_util"),
            r.number("redis_cpu_us_per_change")));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** @return distinct free ports, all held open at once while they are picked so none repeats */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
