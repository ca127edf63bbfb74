package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What BENCHMARKS.md says about cold start, the quiet room, capacity, overload and deoptimizations. */
class ExperimentsReportTest {
  private static final SystemUnderTest US = SystemUnderTest.PRESENCE;
  private static final SystemUnderTest RELAY = SystemUnderTest.RELAY_COALESCED;
  private static final Profile PROFILE = new Profile("test", 1, 100, 100, List.of(50), 200, 0, 0, List.of(50),
      2_000, 0, true, List.of(), 2_000, 1_000, 20_000, 6_000, true, List.of(), 0.2);

  private static Point point(String experiment, SystemUnderTest system, int rooms, int n, LoadResult r) {
    if (r.text("loadgen_cpu_util") == null) {
      r.put("loadgen_cpu_util", 0.3);
    }
    return new Point(experiment, system, rooms, n, List.of(r.put("send_lag_p99_ms", 0.1)),
        null);
  }

  private static Point capacity(SystemUnderTest system, int rooms, int rateHz, double p99, double dps, String end) {
    LoadResult r = LoadResult.empty().put("rate_hz", rateHz).put("p99_ms", p99).put("fraction", 1.0)
        .put("logical_dps", dps).put("held_cpu_share", 0.2);
    if (end != null) {
      r.put("search_end", end).put("lower_bound", 0);
    }
    return point("capacity", system, rooms, 50, r);
  }

  private static String markdown(List<Point> points) {
    return new BenchmarksReport(points, PROFILE).markdown(Map.of(), "today", "benchmarks/run",
        new Launches(Path.of("repo")), null);
  }

  @Test
  void aColdFirstBurstMissesTheBoundEvenWhenTheWholeBurstMeetsIt() {
    String md = markdown(List.of(
        point("coldstart-first", US, 1, 20, LoadResult.empty().put("head_p99_ms", 310.0).put("head_max_ms", 422.0)
            .put("p99_ms", 70.0).put("serving_ms", 900.0)),
        point("coldstart-second", US, 1, 20, LoadResult.empty().put("p99_ms", 52.0))));

    assertThat(md).contains("| First burst after SERVING: p99 within PRS-THR-3's bound (75 ms) | first 500 ms: p99 310.0 ms "
        + "(max 422.0); whole burst: p99 70.0 ms; second burst: p99 52.0 ms | **MISSED** |");
  }

  @Test
  void theQuietRoomIsJudgedDuringTheStormAndBesideTheHotRoom() {
    String md = markdown(List.of(
        point("storm", US, 1, 10, LoadResult.empty().put("storm_sessions", 1000).put("storm_room_size", 1)
            .put("before_p99_ms", 55.0).put("during_p99_ms", 950.0).put("during_max_ms", 990.0)
            .put("after_p99_ms", Double.NaN)),
        point("hot", US, 1, 10, LoadResult.empty().put("p99_ms", 60.0).put("max_ms", 70.0).put("fraction", 1.0))));

    assertThat(md)
        .contains("| During a storm of 1.0k connections opening and closing (each in a room of its own), another room's "
            + "p99 at most 150 ms | p99 950.0 ms during (max 990.0); before 55.0 ms, after not seen (the storm outlasted "
            + "the window) | **MISSED** |")
        .contains("| A hot room (4 senders at 1000 Hz each) leaves a quiet room's p99 at most 150 ms | p99 60.0 ms "
            + "(max 70.0), 100.00% delivered | met |");
  }

  @Test
  void capacityIsTheHighestPassingStepAndTheRatioToTheRelayIsATarget() {
    String md = markdown(List.of(
        capacity(US, 8, 20, 60, 392_000, null),
        capacity(US, 16, 20, 400, 500_000, null),
        capacity(US, 11, 20, 90, 539_000, "bracketed"),
        capacity(RELAY, 8, 20, 60, 392_000, null),
        capacity(RELAY, 16, 20, 70, 784_000, "bracketed")));

    assertThat(md)
        .contains("| Capacity at N = 50 at least 0.8x the coalesced relay's, each bracketed within 10% | 0.69x (539.0k vs "
            + "784.0k deliveries/s on 0.20 core) | **MISSED** |")
        .contains("| 50 | presence | 0.20 core | 539.0k | 11 × 20 Hz | R = 16 × 20 Hz: p99 400.0 ms, 100.00% delivered | "
            + "bracketed |");
  }

  @Test
  void capacitiesOnDifferentSharesOfACoreSayWhichIsWhich() {
    Point unheld = point("capacity", RELAY, 16, 50, LoadResult.empty().put("rate_hz", 20).put("p99_ms", 70.0)
        .put("fraction", 1.0).put("logical_dps", 784_000.0).put("search_end", "bracketed").put("lower_bound", 0));
    String md = markdown(List.of(capacity(US, 11, 20, 90, 539_000, "bracketed"), unheld));

    assertThat(md)
        .contains("0.69x (539.0k vs 784.0k deliveries/s; presence on 0.20 core, relay on 1 core) | **MISSED** |")
        .contains("| 50 | relay-coalesced | 1 core | 784.0k |");
  }

  @Test
  void overloadAndDeoptimizationsAreMeasuredWithoutATarget() {
    String md = markdown(List.of(
        point("overload", US, 17, 50, LoadResult.empty().put("overload_factor", 1.5).put("rate_hz", 20)
            .put("rss_series_kib", "102400;204800").put("within_bound", 0.5).put("fraction", 0.9)
            .put("room_within_bound_min", 0.1).put("room_within_bound_median", 0.5).put("room_within_bound_max", 0.9)
            .put("server_cpu_util", 0.8).put("loadgen_cpu_util", 0.5)),
        point("overload", US, 34, 50, LoadResult.empty().put("overload_factor", 3.0).put("rate_hz", 20)
            .put("rss_series_kib", "102400;102400").put("within_bound", 0.0).put("fraction", 0.4)
            .put("room_within_bound_min", 0.0).put("room_within_bound_median", 0.0).put("room_within_bound_max", 0.0)
            .put("server_cpu_util", 0.6).put("loadgen_cpu_util", 0.97)),
        point("deopt", US, 4, 50, LoadResult.empty().put("deopts", 3).put("deopts_total", 250).put("measure_s", 4.0)
            .put("p99_ms", 60.0).put("fraction", 1.0))));

    assertThat(md)
        .contains("| Overload at 1.5x capacity, N = 50 (presence): memory bounded, rooms served alike | RSS 100 → 200 MiB; "
            + "50.0% on time, per room 10.0%–90.0% | no target; measured |")
        .contains("| 50 | presence | 1 core | 1.5x C | 17 × 20 Hz |")
        .contains("| 80% / 50% | 100 → 200 |")
        .contains("| 60% / 97% (bound) |")
        .contains("0.0% on time, per room 0.0%–0.0%; load generator bound (97% CPU) | no target; measured |")
        .contains("| Deoptimizations in the server JVM in measured windows after warm-up (JFR) | N = 50: 3 | no target; measured |")
        .contains("| 50 | 4 | 3 | 4.0 | 60.0 | 100.00% | 0.1 |");
  }
}
