package dev.presence.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AcceptPacerTest {
  private final AtomicLong nanos = new AtomicLong(1_000);

  @Test
  void aBurstOfATwentiethOfASecondGoesAtOnceThenOnePerInterval() {
    AcceptPacer pacer = AcceptPacer.of(400, nanos::get);

    for (int i = 0; i < 20; i++) {
      assertThat(pacer.nanosUntilNextAccept()).as("accept %d of the burst", i).isZero();
      pacer.accepted();
    }
    // One accept every 2.5 ms; a nanosecond either way is the floating point's.
    assertThat(pacer.nanosUntilNextAccept()).isBetween(2_499_999L, 2_500_001L);

    nanos.addAndGet(TimeUnit.MICROSECONDS.toNanos(2_490));
    assertThat(pacer.nanosUntilNextAccept()).isBetween(9_999L, 10_001L);
    nanos.addAndGet(TimeUnit.MICROSECONDS.toNanos(11));
    assertThat(pacer.nanosUntilNextAccept()).isZero();
  }

  @Test
  void anIdlePacerSavesNoMoreThanItsBurst() {
    AcceptPacer pacer = AcceptPacer.of(100, nanos::get);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));

    int atOnce = 0;
    while (pacer.nanosUntilNextAccept() == 0) {
      pacer.accepted();
      atOnce++;
    }
    assertThat(atOnce).isEqualTo(5);
  }

  @Test
  void aSlowRateStillLetsOneConnectionThrough() {
    AcceptPacer pacer = AcceptPacer.of(2, nanos::get);

    assertThat(pacer.nanosUntilNextAccept()).isZero();
    pacer.accepted();
    assertThat(pacer.nanosUntilNextAccept()).isBetween(499_999_999L, 500_000_001L);
  }

  @Test
  void rateZeroDoesNotPace() {
    AcceptPacer pacer = AcceptPacer.of(0, nanos::get);

    for (int i = 0; i < 10_000; i++) {
      assertThat(pacer.nanosUntilNextAccept()).isZero();
      pacer.accepted();
    }
  }

  @Test
  void aNegativeRateIsRefused() {
    assertThatThrownBy(() -> AcceptPacer.of(-1, nanos::get)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
