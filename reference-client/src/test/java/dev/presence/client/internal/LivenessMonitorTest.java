package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.internal.LivenessMonitor.Verdict;
import dev.presence.client.testing.Covers;
import org.junit.jupiter.api.Test;

/** When a silent server is probed and when the connection counts as lost, on explicit times. */
@Covers("PRS-LIV-9")
class LivenessMonitorTest {

  @Test
  void probesAfterHalfTheBoundOfSilenceAndIsLostAfterAnotherHalfWithoutAnswer() {
    LivenessMonitor m = new LivenessMonitor(4_000, 0);
    assertThat(m.check(1_999)).isEqualTo(Verdict.WAIT);
    assertThat(m.check(2_000)).isEqualTo(Verdict.PROBE);
    assertThat(m.check(3_999)).isEqualTo(Verdict.WAIT);
    assertThat(m.check(4_000)).isEqualTo(Verdict.LOST);
  }

  @Test
  void anyFrameAnswersTheProbe() {
    LivenessMonitor m = new LivenessMonitor(4_000, 0);
    assertThat(m.check(2_100)).isEqualTo(Verdict.PROBE);
    m.heard(2_500);
    assertThat(m.check(4_100)).isEqualTo(Verdict.WAIT);
    // Without the frame this would be LOST; with it the server is merely quiet again.
    assertThat(m.check(4_500)).isEqualTo(Verdict.PROBE);
  }

  @Test
  void probesAreNeverSentMoreOftenThanEverySecondHoweverShortTheBound() {
    LivenessMonitor m = new LivenessMonitor(200, 0);
    assertThat(m.check(100)).isEqualTo(Verdict.PROBE);
    m.heard(110);
    assertThat(m.check(210)).as("quiet for half the bound, but only 110 ms after the last probe")
        .isEqualTo(Verdict.WAIT);
    assertThat(m.check(1_099)).isEqualTo(Verdict.WAIT);
    assertThat(m.check(1_100)).isEqualTo(Verdict.PROBE);
    // The answer deadline is still half the bound.
    assertThat(m.check(1_200)).isEqualTo(Verdict.LOST);
  }

  @Test
  void checksRunOftenEnoughForTheHalfBoundButNotBusily() {
    assertThat(new LivenessMonitor(10_000, 0).checkIntervalMillis()).isEqualTo(500);
    assertThat(new LivenessMonitor(2_000, 0).checkIntervalMillis()).isEqualTo(200);
    assertThat(new LivenessMonitor(20, 0).checkIntervalMillis()).isEqualTo(10);
  }

  @Test
  void noncesAreNeverZeroAndNeverRepeat() {
    LivenessMonitor m = new LivenessMonitor(1_000, 0);
    long first = m.nextNonce();
    assertThat(first).isNotZero();
    assertThat(m.nextNonce()).isNotEqualTo(first);
  }
}
