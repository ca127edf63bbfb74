package dev.presence.bench.loadgen;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.UserSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private static final long SETTLE_MILLIS = 1_000;

  private final Workload workload;
  private final Driver driver;
  private final ProcessStats server;
  private final long rssSampleMillis;
  /**
   * Fresh per run: a server still draining an earlier run's backlog, such as a saturated relay, must not
   * hand its stale states to this run's sessions of the same user numbers, where they would count as out of
   * order and hide this run's deliveries.
   */
  private final String runId = newRunId();

  /**
   * @param workload the load
   * @param driver speaks the server's protocol
   * @param server the server process's accounting, or null when it runs elsewhere
   * @param rssSampleMillis how often to sample the server's RSS during the window; 0 for never
   */
  public LoadRun(Workload workload, Driver driver, ProcessStats server, long rssSampleMillis) {
    this.workload = workload;
    this.driver = driver;
    this.server = server;
    this.rssSampleMillis = rssSampleMillis;
  }

  /** @return the run's numbers */
  public LoadResult run() throws InterruptedException, TimeoutException {
    ProcessStats self = ProcessStats.self();
    int users = workload.sessions();
    int n = workload.usersPerRoom();
    SendLog sendLog = new SendLog(users, workload.sendCapacityPerUser());
    Recorder latency = new Recorder(60_000_000L, 3);
    SessionRecorder[] recorders = new SessionRecorder[users];
    for (int u = 0; u < users; u++) {
      recorders[u] = new SessionRecorder(u, workload.roomOf(u) * n, n, sendLog, latency, System::nanoTime);
    }
    long rssBaseline = rss();
    long openStart = System.nanoTime();
    UserSession[] sessions = openAll(recorders);
    long openMillis = (System.nanoTime() - openStart) / 1_000_000;
    Thread.sleep(SETTLE_MILLIS);
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
        measure(result, sessions, recorders, sendLog, latency, self);
      }
      putFaults(result, driver.faults());
    } finally {
      for (UserSession s : sessions) {
        s.close();
      }
    }
    return result;
  }

  private void measure(LoadResult result, UserSession[] sessions, SessionRecorder[] recorders,
      SendLog sendLog, Recorder latency, ProcessStats self) throws InterruptedException {
    long start = System.nanoTime() + 50_000_000L;
    long opens = start + workload.warmupMillis() * 1_000_000L;
    long closes = opens + workload.measureMillis() * 1_000_000L;
    long countsUntil = closes + workload.graceMillis() * 1_000_000L;
    MeasurementWindow window = new MeasurementWindow(
        opens, closes, countsUntil, workload.deliveryDeadlineMillis() * 1_000_000L);
    for (SessionRecorder r : recorders) {
      r.measure(window);
    }
    SendScheduler scheduler = new SendScheduler(
        sessions, sendLog, workload.sendRateHz(), workload.seed(), start, closes);
    Thread sender = new Thread(scheduler, "sender");
    sender.start();

    sleepUntil(opens);
    long serverCpu0 = cpu(server);
    long selfCpu0 = self.cpuMicros();
    for (int u = 0; u < workload.stalledSessions(); u++) {
      sessions[u].stopReading();
    }
    List<Long> rssSeries = sampleRssUntil(closes);
    long serverCpu1 = cpu(server);
    long selfCpu1 = self.cpuMicros();
    long rssLoaded = rss();
    sender.join();
    sleepUntil(countsUntil);

    SessionRecorder.Totals totals = new SessionRecorder.Totals();
    for (int u = workload.stalledSessions(); u < recorders.length; u++) {
      recorders[u].addTo(totals);
    }
    long expected = expectedDeliveries(sendLog, window);
    double seconds = window.seconds();
    long windowMicros = (closes - opens) / 1_000;
    Histogram h = latency.getIntervalHistogram();
    Histogram lag = scheduler.lagMicros();
    double serverCpuMicros = server == null ? Double.NaN : serverCpu1 - serverCpu0;
    result.put("measure_s", seconds)
        .put("sends", scheduler.sends())
        .put("expected", expected)
        .put("delivered", totals.deliveredOnTime)
        .put("delivered_late", totals.deliveredLate)
        .put("fraction", expected == 0 ? Double.NaN : totals.deliveredOnTime / (double) expected)
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
        .put("loadgen_cpu_util", (selfCpu1 - selfCpu0) / (double) windowMicros)
        .put("send_lag_p99_ms", lag.getValueAtPercentile(99) / 1e3)
        .put("out_of_order", totals.outOfOrder)
        .put("foreign", totals.foreign)
        .put("rss_loaded_kib", rssLoaded)
        .put("loaded_kib_per_session", (rssLoaded - result.number("rss_baseline_kib")) / workload.sessions());
    if (!rssSeries.isEmpty()) {
      StringBuilder series = new StringBuilder();
      for (long kib : rssSeries) {
        series.append(series.length() == 0 ? "" : ";").append(kib);
      }
      result.put("rss_series_kib", series.toString());
    }
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

  /** Deliveries to others that measured sends call for, to receivers that kept reading. */
  private long expectedDeliveries(SendLog sendLog, MeasurementWindow window) {
    int n = workload.usersPerRoom();
    long expected = 0;
    for (int u = 0; u < workload.sessions(); u++) {
      int readingOthers = n - 1;
      if (workload.roomOf(u) == 0) {
        boolean senderStalled = u < workload.stalledSessions();
        readingOthers = n - 1 - workload.stalledSessions() + (senderStalled ? 1 : 0);
      }
      expected += (long) sendLog.sentBetween(u, window.opensAtNanos(), window.closesAtNanos()) * readingOthers;
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
    if (rssSampleMillis <= 0 || server == null) {
      sleepUntil(untilNanos);
      return series;
    }
    long next = System.nanoTime();
    while (next < untilNanos) {
      sleepUntil(next);
      series.add(server.rssKib());
      next += rssSampleMillis * 1_000_000L;
    }
    sleepUntil(untilNanos);
    return series;
  }

  private long rss() {
    return server == null ? 0 : server.rssKib();
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
