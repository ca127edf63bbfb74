package dev.presence.bench.suite;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import dev.presence.bench.loadgen.ProcessStats;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
  static final int WARMUP_ROOM_SIZE = 25;
  /** A JVM server whose compiler threads took less of its CPU than this in a run counts as warm at that size. */
  static final double WARM_JIT_SHARE = 0.05;
  static final int MAX_WARMUP_RUNS_PER_SIZE = 3;
  /** Nodes of the cluster experiment: the fewest where a room's deliveries mostly cross nodes (2 in 3). */
  static final int CLUSTER_NODES = 3;
  private static final String REDIS_READY = "Ready to accept connections";
  /** A server using less than this share of a core over one sample counts as quiet. */
  private static final double QUIET_CPU_SHARE = 0.10;
  private static final long QUIET_SAMPLE_MILLIS = 500;
  private static final long QUIET_TIMEOUT_MILLIS = 30_000;
  /** The capacity search brackets capacity to within this factor. */
  static final double CAPACITY_PRECISION = 1.10;
  static final List<Double> OVERLOAD_FACTORS = List.of(1.5, 3.0);
  private static final long OVERLOAD_RSS_SAMPLE_MILLIS = 500;
  /** The room whose service the storm and the hot room must not disturb. */
  static final int QUIET_ROOM_SIZE = 10;
  static final int QUIET_RATE_HZ = 10;
  private static final long STORM_AT_MILLIS = 2_000;
  static final int HOT_SENDERS = 4;
  static final int HOT_RATE_HZ = 1_000;
  /** The cold-start burst: one room taking 1 kHz of states. */
  static final int BURST_USERS = 20;
  static final int BURST_RATE_HZ = 50;
  static final long BURST_HEAD_MILLIS = 500;
  private static final long SERVING_TIMEOUT_MILLIS = 60_000;

  /**
   * The experiments a run may be limited to. {@code capacity} includes the overload experiment, which offers
   * multiples of the capacity found; {@code quiet-room} is the connection storms and the hot room.
   */
  static final List<String> EXPERIMENTS =
      List.of("matrix", "scale", "capacity", "quiet-room", "idle", "stall", "cold-start", "deopt", "cluster");

  private final Profile profile;
  private final Launches launches;
  private final Pinning pinning;
  private final PrintStream log;
  private final Set<String> experiments;
  private final List<Point> points = new ArrayList<>();
  private LoadGeneratorProcess loadGenerator;
  private CpuQuota quota;

  /** @param experiments the names of {@link #EXPERIMENTS} to run */
  SuiteRunner(Profile profile, Launches launches, Pinning pinning, PrintStream log, Set<String> experiments) {
    for (String e : experiments) {
      if (!EXPERIMENTS.contains(e)) {
        throw new IllegalArgumentException("unknown experiment '" + e + "': " + String.join(", ", EXPERIMENTS));
      }
    }
    this.profile = profile;
    this.launches = launches;
    this.pinning = pinning;
    this.log = log;
    this.experiments = Set.copyOf(experiments);
  }

  List<Point> run(List<SystemUnderTest> systems) throws IOException, InterruptedException {
    try (LoadGeneratorProcess generator = new LoadGeneratorProcess(
        pinning.loadGenerator(launches.loadGenerator()), launches.repo().toFile());
        CpuQuota held = CpuQuota.create(profile.heldCpuShare())) {
      this.loadGenerator = generator;
      this.quota = held;
      if (!held.available() && profile.heldCpuShare() > 0) {
        log.println("capacity and overload run on a whole core: " + held.unavailableReason());
      }
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
      if (experiments.contains("matrix")) {
        roomSizeMatrix("matrix", profile.roomSizes(), targets, servers.values());
      }
      for (Map.Entry<SystemUnderTest, ServerProcess> e : servers.entrySet()) {
        if (runsEveryExperiment(e.getKey())) {
          scaleAndCapacity(e.getKey(), e.getValue(), servers.values());
        }
      }
      for (Map.Entry<SystemUnderTest, ServerProcess> e : servers.entrySet()) {
        if (e.getValue().isAlive() && servesQuietRoomExperiments(e.getKey()) && runsEveryExperiment(e.getKey())
            && experiments.contains("quiet-room")) {
          quietRoomExperiments(e.getKey(), e.getValue(), servers.values());
        }
      }
    } finally {
      for (ServerProcess server : Set.copyOf(servers.values())) {
        server.close();
      }
    }
    for (SystemUnderTest system : systems) {
      if (experiments.contains("idle")) {
        onFreshServer(system, server -> points.add(point("idle", system, server,
            ceilDiv(profile.idleSessions(), IDLE_ROOM_SIZE), IDLE_ROOM_SIZE, 0, 0, 0, 0, 1)));
      }
      if (profile.stallMillis() > 0 && stallsMeaningfully(system) && experiments.contains("stall")) {
        onFreshServer(system, server -> points.add(point("stall", system, server, 1, STALL_ROOM_SIZE, RATE_HZ,
            1, profile.stallMillis(), profile.stallMillis() / 12, 1)));
      }
    }
    if (systems.contains(SystemUnderTest.PRESENCE) && experiments.contains("cold-start")) {
      coldStart();
    }
    if (systems.contains(SystemUnderTest.PRESENCE) && experiments.contains("deopt")) {
      deoptimizations();
    }
    if (chosen.contains(SystemUnderTest.PRESENCE_CLUSTER) && !profile.clusterRoomSizes().isEmpty()
        && experiments.contains("cluster")) {
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
    return startServer(system, portOf -> launches.server(system, portOf));
  }

  /** @param launch the command, given each served system's port */
  private ServerProcess startServer(SystemUnderTest system,
      Function<Function<SystemUnderTest, String>, List<String>> launch) throws IOException, InterruptedException {
    List<SystemUnderTest> served = Launches.servedTogether(system);
    int[] free = freePorts(served.size());
    Map<SystemUnderTest, Integer> ports = new EnumMap<>(SystemUnderTest.class);
    for (int i = 0; i < free.length; i++) {
      ports.put(served.get(i), free[i]);
    }
    return ServerProcess.start(pinning.server(launch.apply(s -> Integer.toString(ports.get(s)))), ports);
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
      if (profile.serverWarmup()) {
        warmUpAtRoomSize(experiment, rooms, n, servers, quiet);
      }
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

  /**
   * Unrecorded runs per system at a room size before its measured runs: each size makes other code paths hot, and
   * a JIT compiling them would otherwise charge its work to that size's first measured runs. A JVM server runs
   * again while its compiler threads took more than {@link #WARM_JIT_SHARE} of its CPU, up to
   * {@link #MAX_WARMUP_RUNS_PER_SIZE} runs; a server whose compiling cannot be seen runs once.
   */
  private void warmUpAtRoomSize(String experiment, int rooms, int n, Map<SystemUnderTest, Target> servers,
      Collection<ServerProcess> quiet) throws IOException, InterruptedException {
    for (Map.Entry<SystemUnderTest, Target> e : servers.entrySet()) {
      for (int run = 1; run <= MAX_WARMUP_RUNS_PER_SIZE; run++) {
        awaitQuiet(quiet);
        try {
          LoadResult r = runOnce(experiment + "-warmup", e.getKey(), e.getValue(), rooms, n, RATE_HZ, 0,
              profile.measureMillis(), 0, run);
          if (!(r.number("server_jit_cpu_share") > WARM_JIT_SHARE)) {
            break;
          }
        } catch (IllegalStateException ignored) {
          // Logged by runOnce; the measured runs report failures themselves.
          break;
        }
      }
    }
  }

  private void scaleAndCapacity(SystemUnderTest system, ServerProcess server, Collection<ServerProcess> all)
      throws IOException, InterruptedException {
    if (!server.isAlive()) {
      return;
    }
    if (profile.scaleSessions() > 0 && experiments.contains("scale")) {
      awaitQuiet(all);
      points.add(point("scale", system, server, ceilDiv(profile.scaleSessions(), SCALE_ROOM_SIZE),
          SCALE_ROOM_SIZE, RATE_HZ, 0, profile.measureMillis(), 0, 1));
    }
    for (int n : experiments.contains("capacity") ? profile.capacityRoomSizes() : List.<Integer>of()) {
      if (profile.serverWarmup()) {
        warmUpAtRoomSize("capacity", ceilDiv(profile.matrixSessions(), n), n, Map.of(system, Target.of(system, server)),
            all);
      }
      try (CpuQuota.Hold hold = holdToQuota(server)) {
        capacityAndOverload(system, server, n, all);
      }
    }
  }

  /** Holds the server to the profile's share of a core, or to nothing when the machine cannot. */
  private CpuQuota.Hold holdToQuota(ServerProcess server) throws IOException {
    return quota.available() ? quota.hold(server.pid()) : () -> { };
  }

  private void capacityAndOverload(SystemUnderTest system, ServerProcess server, int n, Collection<ServerProcess> all)
      throws IOException, InterruptedException {
    CapacitySearch search = new CapacitySearch(RATE_HZ, Math.max(1, profile.capacityMaxSessions() / n),
        CAPACITY_PRECISION);
    Point best = null;
    Point last = null;
    for (Optional<CapacitySearch.Step> step = search.next(); step.isPresent() && server.isAlive();
        step = search.next()) {
      last = heldStep("capacity", system, server, step.get().rooms(), n, step.get().rateHz(), profile.measureMillis(),
          0, all);
      points.add(last);
      search.record(last.withinService(), last.loadGeneratorBound());
      best = last.withinService() ? last : best;
    }
    if (last != null && search.end() != null) {
      String end = search.end().name().toLowerCase(java.util.Locale.ROOT);
      last.runs().forEach(r -> r.put("search_end", end).put("lower_bound", search.lowerBound() ? 1 : 0));
    }
    if (best != null && server.isAlive()) {
      overload(system, server, n, best, all);
    }
  }

  /**
   * One step of a held server, run again while its compiler threads took more than {@link #WARM_JIT_SHARE} of its
   * CPU, up to {@link #MAX_WARMUP_RUNS_PER_SIZE} runs: each new load makes more code hot, and on a fifth of a core
   * the JIT compiling it takes a large part of the server's share, so the step would pass or fail on that transient
   * rather than on capacity. The last run counts; each run records the share of a core the server was held to (0 for
   * a whole core) and how many runs went before it ({@code jit_reruns}). A profile without warm-ups (smoke) runs each
   * step once: its servers stay cold throughout.
   */
  private Point heldStep(String experiment, SystemUnderTest system, ServerProcess server, int rooms, int n, int rateHz,
      long measureMillis, long rssSampleMillis, Collection<ServerProcess> all) throws IOException, InterruptedException {
    Point p = null;
    int runs = profile.serverWarmup() ? MAX_WARMUP_RUNS_PER_SIZE : 1;
    for (int run = 1; run <= runs; run++) {
      awaitQuiet(all);
      p = point(experiment, system, server, rooms, n, rateHz, 0, measureMillis, rssSampleMillis, 1);
      int before = run - 1;
      p.runs().forEach(r -> r.put("held_cpu_share", quota.share()).put("jit_reruns", before));
      if (p.failed() || !(p.median("server_jit_cpu_share") > WARM_JIT_SHARE)) {
        break;
      }
    }
    return p;
  }

  /**
   * Offers multiples of the capacity just found, by the same realization as the search (whole rooms, the
   * rate thinned), sampling the server's RSS to see whether memory stays bounded.
   */
  private void overload(SystemUnderTest system, ServerProcess server, int n, Point capacity,
      Collection<ServerProcess> all) throws IOException, InterruptedException {
    double load = capacity.rooms() * capacity.median("rate_hz") / RATE_HZ;
    for (double factor : OVERLOAD_FACTORS) {
      CapacitySearch.Step step = CapacitySearch.realize(factor * load, RATE_HZ);
      Point p = heldStep("overload", system, server, step.rooms(), n, step.rateHz(), profile.overloadMillis(),
          OVERLOAD_RSS_SAMPLE_MILLIS, all);
      p.runs().forEach(r -> r.put("overload_factor", factor).put("capacity_dps", capacity.median("logical_dps")));
      points.add(p);
      if (!server.isAlive()) {
        return;
      }
    }
  }

  /**
   * The targets ask about the reference server's bindings; the coalesced relay, which does no work per
   * session, shows how much of a storm's effect is the load generator's own. The other systems would only
   * lengthen the suite.
   */
  private boolean runsEveryExperiment(SystemUnderTest system) {
    return profile.experimentsOnEverySystem() || system == SystemUnderTest.PRESENCE;
  }

  private static boolean servesQuietRoomExperiments(SystemUnderTest system) {
    return system == SystemUnderTest.PRESENCE || system == SystemUnderTest.PRESENCE_WS
        || system == SystemUnderTest.RELAY_COALESCED;
  }

  /**
   * One quiet room of 10 users at 10 Hz while, on the same server, a storm of sessions opens and closes
   * (in rooms of one, then all in one room), and then while a hot room's users send at 1 kHz each.
   */
  private void quietRoomExperiments(SystemUnderTest system, ServerProcess server, Collection<ServerProcess> all)
      throws IOException, InterruptedException {
    long stormAt = Math.min(STORM_AT_MILLIS, profile.stormWindowMillis() / 4);
    for (int roomSize : List.of(1, profile.stormSessions())) {
      awaitQuiet(all);
      points.add(onePoint("storm", system, Target.of(system, server), 1, QUIET_ROOM_SIZE, QUIET_RATE_HZ,
          profile.warmupMillis(), profile.stormWindowMillis(), List.of("--storm-sessions",
              Integer.toString(profile.stormSessions()), "--storm-room-size", Integer.toString(roomSize),
              "--storm-at-millis", Long.toString(stormAt))));
    }
    awaitQuiet(all);
    points.add(onePoint("hot", system, Target.of(system, server), 1, QUIET_ROOM_SIZE, QUIET_RATE_HZ,
        profile.warmupMillis(), profile.measureMillis(), List.of("--hot-senders", Integer.toString(HOT_SENDERS),
            "--hot-rate-hz", Integer.toString(HOT_RATE_HZ))));
  }

  /**
   * A fresh reference server, loaded the moment its health check says SERVING: one room of 20 users at
   * 50 Hz, reported over its first 500 ms and whole, then the same burst again on the now warmer server.
   */
  private void coldStart() throws IOException, InterruptedException {
    SystemUnderTest system = SystemUnderTest.PRESENCE;
    log.printf("== %s: cold start%n", system.label());
    long launched = System.nanoTime();
    try (ServerProcess server = startServer(system)) {
      HealthProbe.awaitServing(server.port(system), SERVING_TIMEOUT_MILLIS);
      double servingMillis = (System.nanoTime() - launched) / 1e6;
      for (String burst : List.of("coldstart-first", "coldstart-second")) {
        Point p = onePoint(burst, system, Target.of(system, server), 1, BURST_USERS, BURST_RATE_HZ, 0,
            profile.burstMillis(), List.of("--settle-millis", "0", "--head-millis", Long.toString(BURST_HEAD_MILLIS)));
        p.runs().forEach(r -> r.put("serving_ms", servingMillis));
        points.add(p);
      }
    } catch (IllegalStateException e) {
      points.add(new Point("coldstart-first", system, 1, BURST_USERS, List.of(),
          e.getMessage().lines().findFirst().orElse("failed")));
    }
  }

  /**
   * A fresh reference server recording JFR from its start: warmed up as the matrix's servers are, then one
   * run per room size; each run counts the deoptimizations whose time falls inside its measured window.
   */
  private void deoptimizations() throws IOException, InterruptedException {
    SystemUnderTest system = SystemUnderTest.PRESENCE;
    log.printf("== %s: deoptimizations (JFR)%n", system.label());
    Path dir = Files.createTempDirectory("presence-jfr-");
    Path recording = dir.resolve("presence-server.jfr");
    List<Point> measured = new ArrayList<>();
    try {
      try (ServerProcess server = startServer(system, launches::recordedServer)) {
        Target target = Target.of(system, server);
        if (profile.serverWarmup()) {
          for (int run = 1; run <= 2; run++) {
            onePoint("warmup", system, target, ceilDiv(profile.matrixSessions(), WARMUP_ROOM_SIZE), WARMUP_ROOM_SIZE,
                RATE_HZ, profile.warmupMillis(), profile.measureMillis(), List.of());
          }
        }
        for (int n : profile.roomSizes()) {
          measured.add(onePoint("deopt", system, target, ceilDiv(profile.matrixSessions(), n), n, RATE_HZ,
              profile.warmupMillis(), profile.measureMillis(), List.of()));
        }
        dump(server.pid(), recording);
      }
      Deoptimizations deopts = Deoptimizations.read(recording);
      for (Point p : measured) {
        for (LoadResult r : p.runs()) {
          r.put("deopts", deopts.between(Instant.ofEpochMilli((long) r.number("opens_epoch_ms")),
              Instant.ofEpochMilli((long) r.number("closes_epoch_ms")))).put("deopts_total", deopts.total());
        }
      }
      points.addAll(measured);
    } catch (IOException | IllegalStateException e) {
      String reason = "no deoptimization count: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      log.println(reason);
      points.add(new Point("deopt", system, 1, profile.roomSizes().get(0), List.of(), reason));
    } finally {
      Files.deleteIfExists(recording);
      Files.deleteIfExists(dir);
    }
  }

  /** The JVM writes its recording on request, while it runs: a server's shutdown may not get that far. */
  private void dump(long pid, Path recording) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(launches.dumpRecording(pid, recording)).redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (jcmd.waitFor() != 0 || !Files.exists(recording)) {
      throw new IOException("jcmd JFR.dump failed: " + output.strip());
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

  /** One run with the load generator's further options; a run that fails is the point's reason. */
  private Point onePoint(String experiment, SystemUnderTest system, Target server, int rooms, int users,
      int rateHz, long warmupMillis, long measureMillis, List<String> options)
      throws IOException, InterruptedException {
    try {
      return new Point(experiment, system, rooms, users, List.of(runOnce(experiment, system, server, rooms, users,
          rateHz, warmupMillis, measureMillis, 1, options)), null);
    } catch (IllegalStateException e) {
      return new Point(experiment, system, rooms, users, List.of(), e.getMessage().lines().findFirst().orElse("failed"));
    }
  }

  /** @throws IllegalStateException when the run failed, with the load generator's reason */
  private LoadResult runOnce(String experiment, SystemUnderTest system, Target server, int rooms, int users,
      int rateHz, int stalled, long measureMillis, long rssSampleMillis, int run)
      throws IOException, InterruptedException {
    return runOnce(experiment, system, server, rooms, users, rateHz, profile.warmupMillis(), measureMillis, run,
        List.of("--stalled", Integer.toString(stalled), "--rss-sample-millis", Long.toString(rssSampleMillis)));
  }

  private LoadResult runOnce(String experiment, SystemUnderTest system, Target server, int rooms, int users,
      int rateHz, long warmupMillis, long measureMillis, int run, List<String> options)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--system", system.label(), "--port", server.ports(),
        "--server-pid", server.serverPids(), "--redis-pid", Long.toString(server.redisPid()),
        "--rooms", Integer.toString(rooms),
        "--users", Integer.toString(users), "--rate-hz", Integer.toString(rateHz),
        "--warmup-millis", Long.toString(warmupMillis),
        "--measure-millis", Long.toString(measureMillis), "--seed", Integer.toString(run)));
    args.addAll(options);
    long timeout = 180_000 + warmupMillis + measureMillis;
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
