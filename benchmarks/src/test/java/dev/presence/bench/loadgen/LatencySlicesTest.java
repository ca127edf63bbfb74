package dev.presence.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Latency kept by send time, read back by part of the window. */
class LatencySlicesTest {
  private static final long MS = 1_000_000L;

  @Test
  void partsHoldOnlyTheStatesSentInThem() {
    LatencySlices slices = new LatencySlices(1_000 * MS, 2_000 * MS);
    slices.record(1_000 * MS, 10_000);
    slices.record(1_150 * MS, 20_000);
    slices.record(1_999 * MS, 300_000);
    slices.record(2_000 * MS, 900_000);
    slices.record(999 * MS, 900_000);

    assertThat(slices.count()).isEqualTo(10);
    assertThat(slices.over(0, 1).getTotalCount()).isEqualTo(1);
    assertThat(slices.over(0, 5).getMaxValue()).isBetween(19_980L, 20_030L);
    assertThat(slices.over(5, 10).getTotalCount()).isEqualTo(1);
    assertThat(slices.over(-3, 30).getTotalCount()).isEqualTo(3);
  }

  @Test
  void aSendTimeFallsInTheSliceThatStartedBeforeIt() {
    LatencySlices slices = new LatencySlices(1_000 * MS, 2_000 * MS);

    assertThat(slices.sliceOf(1_099 * MS)).isZero();
    assertThat(slices.sliceOf(1_100 * MS)).isEqualTo(1);
    assertThat(slices.sliceOf(900 * MS)).isEqualTo(-1);
  }
}
