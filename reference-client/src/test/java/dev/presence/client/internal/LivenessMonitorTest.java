package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.internal.LivenessMonitor.Verdict;
import org.junit.jupiter.api.Test;

/** When a silent server is pinged and when it is given up on, on explicit times. */
class LivenessMonitorTest {

  @Test
  void pingsAfterHalfTheBoundOfSilenceAndAbandonsAfterTheWholeBoundWithoutAnswer() {
    LivenessMonitor m = new LivenessMonitor(1_000, 0);
    assertThat(m.checkIntervalMillis()).isEqualTo(500);
    assertThat(m.check(499)).isEqualTo(Verdict.WAIT);
    assertThat(m.check(500)).isEqualTo(Verdict.PING);
    assertThat(m.check(1_499)).isEqualTo(Verdict.WAIT);
    assertThat(m.check(1_500)).isEqualTo(Verdict.ABANDON);
  }

  @Test
  void anyFrameAnswersThePing() {
    LivenessMonitor m = new LivenessMonitor(1_000, 0);
    assertThat(m.check(600)).isEqualTo(Verdict.PING);
    m.heard(700);
    assertThat(m.check(1_100)).isEqualTo(Verdict.WAIT);
    // Without the frame this would be ABANDON; with it the server is merely quiet again.
    assertThat(m.check(1_600)).isEqualTo(Verdict.PING);
  }

  @Test
  void boundsAreClampedAndDefaultWhenNotAdvertised() {
    assertThat(new LivenessMonitor(0, 0).detectionMillis()).isEqualTo(10_000);
    assertThat(new LivenessMonitor(0, 0).checkIntervalMillis()).isEqualTo(5_000);
    assertThat(new LivenessMonitor(4, 0).checkIntervalMillis()).isEqualTo(10);
  }

  @Test
  void noncesAreNeverZeroAndNeverRepeat() {
    LivenessMonitor m = new LivenessMonitor(1_000, 0);
    long first = m.nextNonce();
    assertThat(first).isNotZero();
    assertThat(m.nextNonce()).isNotEqualTo(first);
  }
}
