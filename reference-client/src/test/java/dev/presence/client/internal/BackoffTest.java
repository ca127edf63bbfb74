package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void boundDoublesUpToTheCapAndResets() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.999999);
    assertThat(b.nextDelayMillis()).isEqualTo(100);
    assertThat(b.nextDelayMillis()).isEqualTo(200);
    assertThat(b.nextDelayMillis()).isEqualTo(400);
    assertThat(b.nextDelayMillis()).isEqualTo(800);
    assertThat(b.nextDelayMillis()).isEqualTo(1000);
    for (int i = 0; i < 100; i++) {
      assertThat(b.nextDelayMillis()).isEqualTo(1000);
    }
    b.reset();
    assertThat(b.currentBoundMillis()).isEqualTo(100);
  }

  @Test
  void fullJitterCanBeZero() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
    assertThat(b.nextDelayMillis()).isZero();
    Backoff half = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.5);
    half.nextDelayMillis();
    assertThat(half.nextDelayMillis()).isEqualTo(100);
  }
}
