package dev.presence.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadResultTest {
  @Test
  void aResultLineRoundTrips() {
    LoadResult r = LoadResult.empty().put("system", "presence").put("sessions", 400).put("p99_ms", 12.25)
        .put("rss_series_kib", "1;2;3");
    LoadResult back = LoadResult.parse(r.toLine());
    assertThat(back.values()).isEqualTo(r.values());
    assertThat(back.number("p99_ms")).isEqualTo(12.25);
    assertThat(back.number("missing")).isNaN();
  }

  @Test
  void valuesWithSpacesAndMalformedLinesAreRefused() {
    assertThatThrownBy(() -> LoadResult.empty().put("k", "a b")).hasMessageContaining("no spaces");
    assertThatThrownBy(() -> LoadResult.parse("RESULT novalue")).hasMessageContaining("malformed pair 'novalue'");
    assertThatThrownBy(() -> LoadResult.parse("other")).hasMessageContaining("not a result line");
  }

  @Test
  void workloadsAreValidatedOnce() {
    assertThatThrownBy(() -> new Workload(1, 1, 20, 0, 0, 0, 1000, 0, 1)).hasMessageContaining("users per room");
    assertThatThrownBy(() -> new Workload(1, 5, 20, 0, 0, 0, 1000, 5, 1)).hasMessageContaining("stalled");
    assertThat(new Workload(3, 10, 20, 0, 0, 0, 1000, 0, 1).offeredDeliveriesPerSecond()).isEqualTo(3 * 10 * 9 * 20);
  }
}
