package dev.presence.bench.loadgen;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.UserSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One run of a {@link Workload} against one server: open every session, send, measure one window, and
 * sum what the receivers saw. The server's CPU and memory come from its own process accounting, read at
 * the window's edges.
 */
public final class LoadRun {
  private static final int OPENS_IN_FLIGHT = 128;
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(120);

  private final Workload workload;
  private final Driver driver;
  private final List<ProcessStats> servers;
  private final ProcessStats redis;
  private final int nodes;
  private final long rssSampleMillis;
  private final RunOptions options;
  /**
   * Fresh per run: a server still draining an earlier run's backlog, such as a saturated relay, must not
   * hand its stale states to this run's sessions of the same user numbers, where they would count as out of
   * order and hide this run's deliveries.
   */
  private final String runId = newRunId();

  /**
   * @param workload the load
   * @param driver speaks the server's protocol
   * @param servers the accounting of every server process (each node of a cluster), empty when they run
   *     elsewhere; their CPU and RSS are summed
   * @param redis the accounting of the Redis a cluster runs on, or null; its CPU counts as server CPU too,
   *     and is also reported on its own
   * @param nodes how many nodes the driver spreads sessions over, so latency can be split into deliveries
   *     within a node and across nodes
   * @param rssSampleMillis how often to sample the server's RSS during the window; 0 for never
   * @param options what the run does besides its steady load
   */
  public LoadRun(Workload workload, Driver driver, List<ProcessStats> servers, ProcessStats redis, int nodes,
      long rssSampleMillis, RunOptions options) {
    this.options = options;
    this.workload = workload;
    this.driver = driver;
    this.servers = List.copyOf(servers);
    this.redis = redis;
    this.nodes = nodes;
    this.rssSampleMillis = rssSampleMillis;
  }

  /** @return the run's numbers */
  public LoadResult run() throws InterruptedException, TimeoutException {
    ProcessStats self = ProcessStats.self();
    int users = workload.sessions();
    int n = workload.usersPerRoom();
    SendLog sendLog = new SendLog(users, workload.sendCapacityPerUser());
    Recorder latency = new Recorder(60_000_000L, 3);
    Recorder sameNode = nodes > 1 ? new Recorder(60_000_000L, 3) : null;
    Recorder crossNode = nodes > 1 ? new Recorder(60_000_000L, 3) : null;
    SessionRecorder[] recorders = new SessionRecorder[users];
    for (int u = 0; u < users; u++) {
      recorders[u] = new SessionRecorder(u, workload.roomOf(u) * n, n, sendLog, latency, System::nanoTime,
          nodes, sameNode, crossNode);
    }
    long rssBaseline = rss();
    long openStart = System.nanoTime();
    UserSession[] sessions = openAll(recorders);
    long openMillis = (System.nanoTime() - openStart) / 1_000_000;
    HotRoom hot = options.hotSenders() > 0
        ? HotRoom.open(driver, runId, options.hotSenders(), options.hotRateHz(), users) : null;
    Thread.sleep(options.settleMillis());
    long rssIdle = rss();

    LoadResult result = LoadResult.empty()
        .put("rooms", workload.rooms())
        .put("users", n)
        .put("sessions", users)
        .put("rate_hz", workload.sendRateHz())
        .put("offered_dps", workload.offeredDeliveriesPerSecond())
        .put("open_ms", openMillis)
        .put("rss_baseline_kib", rssBaseline)
        .put("rss_idle_kib", rssIdle)
        .put("idle_kib_per_session", (rssIdle - rssBaseline) / (double) users);
    try {
      if (workload.sendRateHz() > 0) {
        measure(result, sessions, recorders, sendLog, latency, self, hot);
        if (nodes > 1) {
          putSplitLatency(result, "same_node", sameNode.getIntervalHistogram());
          putSplitLatency(result, "cross_node", crossNode.getIntervalHistogram());
        }
      }
      putFaults(result, driver.faults());
    } finally {
      for (UserSession s : sessions) {
        s.close();
      }
      if (hot != null) {
        hot.close();
      }
    }
    return result;
  }

  private void measure(LoadResult result, UserSession[] sessions, SessionRecorder[] recorders,
      SendLog sendLog, Recorder latency, ProcessStats self, HotRoom hot) throws InterruptedException {
    long start = System.nanoTime() + 50_000_000L;
    long opens = start + workload.warmupMillis() * 1_000_000L;
    long closes = opens + workload.measureMillis() * 1_000_000L;
    long countsUntil = closes + workload.graceMillis() * 1_000_000L;
    MeasurementWindow window = new MeasurementWindow(
        opens, closes, countsUntil, workload.deliveryDeadlineMillis() * 1_000_000L);
    LatencySlices slices = options.sliced() ? new LatencySlices(opens, closes) : null;
    for (SessionRecorder r : recorders) {
      r.measure(window, slices, options.boundMillis() * 1_000_000L);
    }
    SendScheduler scheduler = new SendScheduler(
        sessions, sendLog, workload.sendRateHz(), workload.seed(), start, closes);
    Thread sender = new Thread(scheduler, "sender");
    sender.start();
    if (hot != null) {
      hot.start(start, closes, workload.seed());
    }
    ConnectionStorm storm = options.stormSessions() > 0 ? new ConnectionStorm(driver, runId,
        options.stormSessions(), options.stormRoomSize(), workload.sessions() + options.hotSenders()) : null;
    Thread stormThread = storm == null ? null : new Thread(() -> {
      try {
        sleepUntil(opens + options.stormAtMillis() * 1_000_000L);
        storm.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "storm");
    if (stormThread != null) {
      stormThread.start();
    }

    sleepUntil(opens);
    long opensEpochMillis = System.currentTimeMillis();
    long serverCpu0 = cpu(servers);
    OptionalLong jitCpu0 = jitCpu(servers);
    long redisCpu0 = cpu(redis);
    long selfCpu0 = self.cpuMicros();
    for (int u = 0; u < workload.stalledSessions(); u++) {
      sessions[u].stopReading();
    }
    List<Long> rssSeries = sampleRssUntil(closes);
    long serverCpu1 = cpu(servers);
    OptionalLong jitCpu1 = jitCpu(servers);
    long redisCpu1 = cpu(redis);
    long selfCpu1 = self.cpuMicros();
    long closesEpochMillis = System.currentTimeMillis();
    long rssLoaded = rss();
    sender.join();
    if (stormThread != null) {
      stormThread.join();
    }
    sleepUntil(countsUntil);

    SessionRecorder.Totals totals = new SessionRecorder.Totals();
    SessionRecorder.Totals[] byRoom = new SessionRecorder.Totals[workload.rooms()];
    Arrays.setAll(byRoom, r -> new SessionRecorder.Totals());
    for (int u = workload.stalledSessions(); u < recorders.length; u++) {
      recorders[u].addTo(totals);
      recorders[u].addTo(byRoom[workload.roomOf(u)]);
    }
    long[] expectedByRoom = expectedDeliveries(sendLog, window);
    long expected = Arrays.stream(expectedByRoom).sum();
    double seconds = window.seconds();
    long windowMicros = (closes - opens) / 1_000;
    Histogram h = latency.getIntervalHistogram();
    Histogram lag = scheduler.lagMicros();
    double nodeCpuMicros = servers.isEmpty() ? Double.NaN : serverCpu1 - serverCpu0;
    double redisCpuMicros = redis == null ? 0 : redisCpu1 - redisCpu0;
    double serverCpuMicros = nodeCpuMicros + redisCpuMicros;
    long windowSends = 0;
    for (int u = 0; u < workload.sessions(); u++) {
      windowSends += sendLog.sentBetween(u, window.opensAtNanos(), window.closesAtNanos());
    }
    // Wall-clock edges, for matching the window with events the server records itself (JFR).
    result.put("measure_s", seconds)
        .put("opens_epoch_ms", opensEpochMillis)
        .put("closes_epoch_ms", closesEpochMillis)
        .put("sends", scheduler.sends())
        .put("expected", expected)
        .put("delivered", totals.deliveredOnTime)
        .put("delivered_late", totals.deliveredLate)
        .put("fraction", expected == 0 ? Double.NaN : totals.deliveredOnTime / (double) expected)
        .put("bound_ms", options.boundMillis())
        .put("within_bound", expected == 0 ? Double.NaN : totals.deliveredWithinBound / (double) expected)
        .put("logical_dps", totals.deliveredOnTime / seconds)
        .put("events_dps", totals.measuredStatesReceived / seconds)
        .put("frames_ps", totals.frames / seconds)
        .put("bytes_ps", totals.bytes / seconds)
        .put("p50_ms", h.getValueAtPercentile(50) / 1e3)
        .put("p99_ms", h.getValueAtPercentile(99) / 1e3)
        .put("p999_ms", h.getValueAtPercentile(99.9) / 1e3)
        .put("max_ms", h.getMaxValue() / 1e3)
        .put("server_cpu_util", serverCpuMicros / windowMicros)
        .put("server_cpu_us_per_delivery",
            totals.deliveredOnTime == 0 ? Double.NaN : serverCpuMicros / totals.deliveredOnTime)
        .put("server_jit_cpu_share", jitShare(jitCpu0, jitCpu1, nodeCpuMicros))
        .put("window_sends", windowSends)
        .put("loadgen_cpu_util", (selfCpu1 - selfCpu0) / (double) windowMicros)
        .put("send_lag_p99_ms", lag.getValueAtPercentile(99) / 1e3)
        .put("out_of_order", totals.outOfOrder)
        .put("foreign", totals.foreign)
        .put("rss_loaded_kib", rssLoaded)
        .put("loaded_kib_per_session", (rssLoaded - result.number("rss_baseline_kib")) / workload.sessions());
    if (redis != null) {
      // Each send is one state change: one script call in Redis and one message to each subscribed node.
      result.put("node_cpu_us_per_delivery", perDelivery(nodeCpuMicros, totals.deliveredOnTime))
          .put("redis_cpu_us_per_delivery", perDelivery(redisCpuMicros, totals.deliveredOnTime))
          .put("redis_cpu_util", redisCpuMicros / windowMicros)
          .put("node_cpu_us_per_change", windowSends == 0 ? Double.NaN : nodeCpuMicros / windowSends)
          .put("redis_cpu_us_per_change", windowSends == 0 ? Double.NaN : redisCpuMicros / windowSends);
    }
    putRoomShares(result, byRoom, expectedByRoom);
    if (hot != null) {
      result.put("hot_senders", options.hotSenders()).put("hot_rate_hz", options.hotRateHz())
          .put("hot_sends", hot.sends());
    }
    if (options.headMillis() > 0) {
      putLatency(result, "head", slices.over(0, (int) (options.headMillis() * 1_000_000L / LatencySlices.SLICE_NANOS)));
    }
    if (storm != null) {
      int from = slices.sliceOf(storm.startedAtNanos());
      int to = slices.sliceOf(storm.endedAtNanos()) + 1;
      result.put("storm_sessions", options.stormSessions()).put("storm_room_size", options.stormRoomSize())
          .put("storm_opened", storm.opened()).put("storm_failed", storm.failed())
          .put("storm_ms", (storm.endedAtNanos() - storm.startedAtNanos()) / 1e6);
      putLatency(result, "before", slices.over(0, from));
      putLatency(result, "during", slices.over(from, to));
      putLatency(result, "after", slices.over(to, slices.count()));
    }
    if (!rssSeries.isEmpty()) {
      StringBuilder series = new StringBuilder();
      for (long kib : rssSeries) {
        series.append(series.length() == 0 ? "" : ";").append(kib);
      }
      result.put("rss_series_kib", series.toString());
    }
  }

  /**
   * Fairness across rooms: the lowest, median and highest share of a room's deliveries that arrived within
   * the bound.
   */
  private static void putRoomShares(LoadResult result, SessionRecorder.Totals[] byRoom, long[] expectedByRoom) {
    double[] shares = new double[byRoom.length];
    int n = 0;
    for (int r = 0; r < byRoom.length; r++) {
      if (expectedByRoom[r] > 0) {
        shares[n++] = byRoom[r].deliveredWithinBound / (double) expectedByRoom[r];
      }
    }
    double[] sorted = Arrays.copyOf(shares, n);
    Arrays.sort(sorted);
    result.put("room_within_bound_min", n == 0 ? Double.NaN : sorted[0])
        .put("room_within_bound_median", n == 0 ? Double.NaN : sorted[n / 2])
        .put("room_within_bound_max", n == 0 ? Double.NaN : sorted[n - 1]);
  }

  /** Latency of one part of the window; NaN when no state sent in it arrived. */
  private static void putLatency(LoadResult result, String part, Histogram h) {
    boolean empty = h.getTotalCount() == 0;
    result.put(part + "_samples", h.getTotalCount())
        .put(part + "_p50_ms", empty ? Double.NaN : h.getValueAtPercentile(50) / 1e3)
        .put(part + "_p99_ms", empty ? Double.NaN : h.getValueAtPercentile(99) / 1e3)
        .put(part + "_max_ms", empty ? Double.NaN : h.getMaxValue() / 1e3);
  }

  private static double perDelivery(double cpuMicros, long deliveries) {
    return deliveries == 0 ? Double.NaN : cpuMicros / deliveries;
  }

  private void putSplitLatency(LoadResult result, String which, Histogram h) {
    result.put("nodes", nodes)
        .put(which + "_samples", h.getTotalCount())
        .put(which + "_p50_ms", h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1e3)
        .put(which + "_p99_ms", h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1e3);
  }

  /** @return an id no other run shares, in practice: 63 random bits */
  static String newRunId() {
    return "run" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  }

  /** Faults are read before the sessions close, since closing is the driver's doing, not the server's. */
  static void putFaults(LoadResult result, Map<String, Long> faults) {
    result.put("faults", faults.values().stream().mapToLong(Long::longValue).sum());
    if (!faults.isEmpty()) {
      StringBuilder reasons = new StringBuilder();
      faults.forEach((reason, count) -> reasons.append(reasons.length() == 0 ? "" : ";")
          .append(reason.replaceAll("[^A-Za-z0-9_.-]+", "_")).append(':').append(count));
      result.put("fault_reasons", reasons.toString());
    }
  }

  /** @return by room, deliveries to others that measured sends call for, to receivers that kept reading */
  private long[] expectedDeliveries(SendLog sendLog, MeasurementWindow window) {
    int n = workload.usersPerRoom();
    long[] expected = new long[workload.rooms()];
    for (int u = 0; u < workload.sessions(); u++) {
      int readingOthers = n - 1;
      if (workload.roomOf(u) == 0) {
        boolean senderStalled = u < workload.stalledSessions();
        readingOthers = n - 1 - workload.stalledSessions() + (senderStalled ? 1 : 0);
      }
      expected[workload.roomOf(u)] +=
          (long) sendLog.sentBetween(u, window.opensAtNanos(), window.closesAtNanos()) * readingOthers;
    }
    return expected;
  }

  private UserSession[] openAll(SessionRecorder[] recorders) throws InterruptedException, TimeoutException {
    Semaphore inFlight = new Semaphore(OPENS_IN_FLIGHT);
    List<CompletableFuture<UserSession>> opening = new ArrayList<>(recorders.length);
    long deadline = System.nanoTime() + OPEN_TIMEOUT.toNanos();
    for (int u = 0; u < recorders.length; u++) {
      if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new TimeoutException("opened fewer than " + u + " sessions within " + OPEN_TIMEOUT);
      }
      CompletableFuture<UserSession> f = driver.open(Workload.roomId(runId, workload.roomOf(u)), u, recorders[u]);
      f.whenComplete((s, e) -> inFlight.release());
      opening.add(f);
    }
    UserSession[] sessions = new UserSession[recorders.length];
    for (int u = 0; u < sessions.length; u++) {
      try {
        sessions[u] = opening.get(u).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("session " + u + " failed to open: " + e.getCause(), e.getCause());
      }
    }
    return sessions;
  }

  private List<Long> sampleRssUntil(long untilNanos) throws InterruptedException {
    List<Long> series = new ArrayList<>();
    if (rssSampleMillis <= 0 || servers.isEmpty()) {
      sleepUntil(untilNanos);
      return series;
    }
    long next = System.nanoTime();
    while (next < untilNanos) {
      sleepUntil(next);
      series.add(rss());
      next += rssSampleMillis * 1_000_000L;
    }
    sleepUntil(untilNanos);
    return series;
  }

  private long rss() {
    long kib = 0;
    for (ProcessStats s : servers) {
      kib += s.rssKib();
    }
    return kib;
  }

  private static long cpu(List<ProcessStats> stats) {
    long micros = 0;
    for (ProcessStats s : stats) {
      micros += s.cpuMicros();
    }
    return micros;
  }

  /** @return the JIT compiler threads' CPU summed over the servers, empty unless every server has them */
  private static OptionalLong jitCpu(List<ProcessStats> stats) {
    long micros = 0;
    for (ProcessStats s : stats) {
      OptionalLong jit = s.jitCpuMicros();
      if (jit.isEmpty()) {
        return OptionalLong.empty();
      }
      micros += jit.getAsLong();
    }
    return stats.isEmpty() ? OptionalLong.empty() : OptionalLong.of(micros);
  }

  /**
   * The share of the servers' CPU in the window that went to compiling, NaN for servers without JIT threads. A
   * JVM may retire a compiler thread it added under load, taking its time with it, so the share is a lower bound.
   */
  private static double jitShare(OptionalLong before, OptionalLong after, double serverCpuMicros) {
    if (before.isEmpty() || after.isEmpty() || !(serverCpuMicros > 0)) {
      return Double.NaN;
    }
    return Math.max(0, after.getAsLong() - before.getAsLong()) / serverCpuMicros;
  }

  private static long cpu(ProcessStats stats) {
    return stats == null ? 0 : stats.cpuMicros();
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }
}
