package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What BENCHMARKS.md says about the two presence.v1 bindings, from made-up points. */
class BenchmarksReportTest {
  private static final Profile PROFILE =
      new Profile("test", 1, 100, 100, List.of(50, 100), 200, 0, 0, List.of(), 0, 0, false, List.of(), 0, 0, 0, 0, true, List.of(), 0);

  private static Point matrix(SystemUnderTest system, int n, double cpuPerDelivery, double p99, double fraction) {
    return new Point("matrix", system, 200 / n, n, List.of(LoadResult.empty()
        .put("server_cpu_us_per_delivery", cpuPerDelivery).put("p99_ms", p99).put("fraction", fraction)
        .put("loadgen_cpu_util", 0.3).put("send_lag_p99_ms", 0.1)), null);
  }

  private static Point failed(SystemUnderTest system, int n) {
    return new Point("matrix", system, 200 / n, n, List.of(), "load generator timed out");
  }

  private static final List<Point> POINTS = List.of(
      matrix(SystemUnderTest.PRESENCE, 50, 1.0, 50.5, 1),
      matrix(SystemUnderTest.PRESENCE, 100, 0.5, 53.1, 1),
      matrix(SystemUnderTest.RELAY_COALESCED, 50, 0.5, 51.0, 1),
      matrix(SystemUnderTest.RELAY_COALESCED, 100, 0.4, 52.0, 1),
      matrix(SystemUnderTest.PRESENCE_WS, 50, 1.25, 48.25, 1),
      failed(SystemUnderTest.PRESENCE_WS, 100),
      matrix(SystemUnderTest.Y_WEBSOCKET, 50, 25.0, 4280.0, 0.2066),
      matrix(SystemUnderTest.Y_WEBSOCKET, 100, 43.0, 4436.0, 0.0578));

  private static String markdown() {
    return new BenchmarksReport(POINTS, PROFILE).markdown(Map.of("CPU", "test"), "today", "benchmarks/run",
        new Launches(Path.of("repo")), "chart.svg");
  }

  @Test
  void bothBindingsAndThePeersStandSideBySideWithTheirRatios() {
    assertThat(markdown()).contains("""
        | N | presence | relay-coalesced | presence-ws | y-websocket | presence-ws vs presence | best Node peer vs presence-ws |
        |---|---|---|---|---|---|---|
        | 50 | 1.000 | 0.500 | 1.250 | 25.000 (20.66% delivered) | 1.25x | 20.0x |
        | 100 | 0.500 | 0.400 | failed | 43.000 (5.78% delivered) | – | – |
        """).contains("""
        | N | presence | relay-coalesced | presence-ws | y-websocket |
        |---|---|---|---|---|
        | 50 | 50.5 | 51.0 | 48.3 | 4280.0 (20.66% delivered) |
        | 100 | 53.1 | 52.0 | failed | 4436.0 (5.78% delivered) |
        """);
  }

  @Test
  void theBindingsAreComparedWithoutATargetAndAFailedPointIsNotMeasured() {
    assertThat(markdown())
        .contains("| WebSocket binding: CPU per delivery at N = 50 against the gRPC binding"
            + " | 1.25x the gRPC binding (1.250 vs 1.000 µs) | no target; measured |")
        .contains("| WebSocket binding: CPU per delivery at N = 50 against the best Node peer | 20.0x lower | no target; measured |")
        .contains("| WebSocket binding: CPU per delivery at N = 100 against the gRPC binding | not measured | no target; measured |");
  }

  @Test
  void aMissedTargetStaysMissed() {
    assertThat(markdown())
        .contains("| Server CPU per delivery at N = 50 at most 1.3x the coalesced ceiling relay | 2.00x the coalesced relay | **MISSED** |")
        .contains("| CPU per delivery at N = 100 at least 5x lower than the best Node peer | 86.0x lower | met |");
  }

  @Test
  void theReferenceServerIsOneCommandServingBothBindings() {
    String md = markdown();

    assertThat(md).containsOnlyOnce("presence-server.jar")
        .contains("java -jar reference-server/target/presence-server.jar --port <free port> --ws-port <free port> --metrics-port 0");
  }

  @Test
  void theChartHasALinePerSystemWithNumbers() {
    String svg = new BenchmarksReport(POINTS, PROFILE).chart();

    assertThat(svg).contains(">presence<").contains(">presence-ws<").contains(">y-websocket<");
  }

  @Test
  void withoutTheWebSocketBindingTheReportHasNoComparisonOfBindings() {
    String md = new BenchmarksReport(List.of(POINTS.get(0), POINTS.get(2)), PROFILE)
        .markdown(Map.of(), "today", "benchmarks/run", new Launches(Path.of("repo")), null);

    assertThat(md).doesNotContain("WebSocket binding:").doesNotContain("vs presence |")
        .contains("| N | presence | relay-coalesced |");
  }

  @Test
  void aMergedReportNamesEveryRunWhosePointsItShowsAndReadsBackTheSame() {
    EarlierRun earlier = new EarlierRun("benchmarks/run", "full", "day 1", Map.of("Commit", "aaa"), List.of(
        new Merge("benchmarks/run --experiments capacity --merge", List.of("capacity presence"), "day 2",
            Map.of("Commit", "bbb")),
        new Merge("benchmarks/run --experiments matrix --merge", List.of("matrix presence"), "day 3",
            Map.of("Commit", "ccc"))), List.of());
    List<Point> fresh = List.of(POINTS.get(0));

    String md = new BenchmarksReport(fresh, PROFILE).mergedInto(earlier, earlier.mergesKeptBeside(fresh))
        .markdown(Map.of("Commit", "ddd"), "day 4", "benchmarks/run --experiments matrix --merge",
            new Launches(Path.of("repo")), null);

    assertThat(md).contains("Written by `benchmarks/run` (profile `test`) on day 1; the points of "
        + "`benchmarks/run --experiments capacity --merge` (capacity presence) replaced the earlier ones on day 2; "
        + "the points of `benchmarks/run --experiments matrix --merge` (matrix presence) replaced the earlier ones on "
        + "day 4.");
    EarlierRun back = EarlierRun.header(md.lines().toList(), List.of()).orElseThrow();
    assertThat(back.environment()).containsEntry("Commit", "aaa");
    assertThat(back.merges()).extracting(Merge::points, Merge::date, m -> m.environment().get("Commit"))
        .containsExactly(tuple(List.of("capacity presence"), "day 2", "bbb"),
            tuple(List.of("matrix presence"), "day 4", "ddd"));
  }
}
