package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointTest {
  private static LoadResult run(double p99, double fraction) {
    return LoadResult.empty().put("p99_ms", p99).put("fraction", fraction).put("loadgen_cpu_util", 0.3)
        .put("send_lag_p99_ms", 0.1);
  }

  @Test
  void eachNumberIsTheMedianOfItsRuns() {
    Point p = new Point("matrix", SystemUnderTest.PRESENCE, 1, 10,
        List.of(run(30, 1), run(500, 0.5), run(40, 0.999)), null);
    assertThat(p.median("p99_ms")).isEqualTo(40);
    assertThat(p.median("fraction")).isEqualTo(0.999);
    assertThat(p.withinService()).isTrue();
    assertThat(p.spread("p99_ms")).isEqualTo((500 - 30) / 40.0);
    assertThat(p.max("p99_ms")).isEqualTo(500);
    assertThat(p.max("absent")).isNaN();
  }

  @Test
  void serviceNeedsBothLatencyAndDeliveryAndAFailedPointHasNone() {
    assertThat(new Point("c", SystemUnderTest.SOCKET_IO, 1, 10, List.of(run(101, 1)), null).withinService()).isFalse();
    assertThat(new Point("c", SystemUnderTest.SOCKET_IO, 1, 10, List.of(run(10, 0.98)), null).withinService()).isFalse();
    Point failed = new Point("c", SystemUnderTest.SOCKET_IO, 1, 10, List.of(), "timed out");
    assertThat(failed.failed()).isTrue();
    assertThat(failed.withinService()).isFalse();
    assertThat(failed.median("p99_ms")).isNaN();
  }

  @Test
  void faultReasonsOfEveryRunAreKept() {
    Point p = new Point("matrix", SystemUnderTest.SOCKET_IO, 1, 10, List.of(
        run(10, 1).put("fault_reasons", "connection_failed:1;receiver_threw:2"), run(10, 1),
        run(10, 1).put("fault_reasons", "connection_failed:4")), null);

    assertThat(p.faultReasons()).containsExactly("connection_failed:1", "receiver_threw:2", "connection_failed:4");
    assertThat(new Point("matrix", SystemUnderTest.SOCKET_IO, 1, 10, List.of(run(10, 1)), null).faultReasons())
        .isEmpty();
  }
}
