package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeoptimizationsTest {
  @Test
  void countsOnlyTheEventsInsideTheWindow() {
    Deoptimizations d = Deoptimizations.of(List.of(Instant.ofEpochMilli(999), Instant.ofEpochMilli(1_000),
        Instant.ofEpochMilli(1_500), Instant.ofEpochMilli(2_000)));

    assertThat(d.between(Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(2_000))).isEqualTo(2);
    assertThat(d.total()).isEqualTo(4);
  }
}
