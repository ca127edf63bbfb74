package dev.presence.conformance.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.Pong;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NoiseMonitorTest {

  private final AtomicLong now = new AtomicLong(ms(1_000));
  private final NoiseMonitor monitor = NoiseMonitor.manual(now::get);

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void aStallCountsForEverySpanItOverlaps() {
    monitor.recordLateness(ms(1_100), ms(40));

    assertThat(monitor.maxLatenessNanos(ms(1_000), ms(1_070))).isEqualTo(ms(40));
    assertThat(monitor.maxLatenessNanos(ms(1_090), ms(1_200))).isEqualTo(ms(40));
    assertThat(monitor.maxLatenessNanos(ms(1_000), ms(1_050))).isZero();
    assertThat(monitor.maxLatenessNanos(ms(1_101), ms(1_300))).isZero();
  }

  @Test
  void latenessBelowAMillisecondIsNotNoise() {
    monitor.recordLateness(ms(1_100), ms(1) - 1);

    assertThat(monitor.maxLatenessNanos(0, ms(2_000))).isZero();
  }

  @Test
  void aMomentIsQuietOnlyAfterAWholeSpanWithoutALargeStall() {
    assertThat(monitor.quiet(ms(2), Duration.ofSeconds(1))).as("not yet watched for a second").isFalse();
    now.set(ms(2_100));
    monitor.recordLateness(ms(1_900), ms(30));

    assertThat(monitor.quiet(ms(2), Duration.ofSeconds(1))).isFalse();
    assertThat(monitor.quiet(ms(50), Duration.ofSeconds(1))).as("the stall is below this threshold").isTrue();
    now.set(ms(2_950));
    assertThat(monitor.quiet(ms(2), Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void theJudgeAddsRoundTripExcessOverTheRunsFastestPing() {
    monitor.recordLateness(ms(1_300), ms(10));
    List<Observation> history = List.of(
        ping(ms(1_000), 1), pong(ms(1_002), 1),
        ping(ms(1_250), 2), pong(ms(1_282), 2),
        ping(ms(1_900), 3), pong(ms(1_990), 3));

    Noise noise = new NoiseJudge(monitor).measure(new TimingMiss(ms(35), ms(1_200), ms(1_400)), history);

    assertThat(noise).isEqualTo(new Noise(ms(10), ms(30)));
    assertThat(noise.explains(new TimingMiss(ms(40), 0, 1))).isTrue();
    assertThat(noise.explains(new TimingMiss(ms(41), 0, 1))).isFalse();
  }

  private static Observation ping(long at, long nonce) {
    return new Observation.Sent(at, "s1", ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(nonce))
        .build());
  }

  private static Observation pong(long at, long nonce) {
    return new Observation.Received(at, "s1", ConnectResponse.newBuilder()
        .setPong(Pong.newBuilder().setNonce(nonce)).build());
  }
}
