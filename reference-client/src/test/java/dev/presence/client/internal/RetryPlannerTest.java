package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.internal.RetryPlanner.Plan;
import dev.presence.client.internal.RetryPolicy.Retry;
import dev.presence.client.testing.Covers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Delays after a session ended, on explicit times and a random source that always draws the bound. */
class RetryPlannerTest {
  private static final double TOP = 0.999_999_9;

  private static RetryPlanner planner(boolean hasCredentials) {
    return new RetryPlanner(new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, () -> TOP), hasCredentials);
  }

  @Covers("PRS-RCN-4")
  @Test
  void fullJitterUnderABoundThatDoublesFrom250MsTo30s() {
    RetryPlanner p = planner(false);
    long[] expected = {250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
    for (long bound : expected) {
      assertThat(p.next(Retry.BACKOFF, 0)).isEqualTo(new Plan(Retry.BACKOFF, bound));
    }
    Backoff zero = new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, () -> 0.0);
    assertThat(zero.nextDelayMillis()).as("full jitter reaches zero").isZero();
  }

  @Covers("PRS-RCN-4")
  @Test
  void onlyASessionThatStayedOpenTenSecondsResetsTheExponent() {
    RetryPlanner p = planner(false);
    p.next(Retry.BACKOFF, 0);
    p.next(Retry.BACKOFF, 0);
    p.opened(1_000);
    assertThat(p.next(Retry.BACKOFF, 10_999).delayMillis()).as("open 9.999 s").isEqualTo(1_000);
    p.opened(20_000);
    assertThat(p.next(Retry.BACKOFF, 30_000).delayMillis()).as("open 10 s").isEqualTo(250);
  }

  @Test
  void atOnceIsAtOnceOnlyTheFirstTimeInARow() {
    RetryPlanner p = planner(false);
    assertThat(p.next(Retry.AT_ONCE, 0)).isEqualTo(new Plan(Retry.AT_ONCE, 0));
    assertThat(p.next(Retry.AT_ONCE, 0)).isEqualTo(new Plan(Retry.BACKOFF, 250));
    p.opened(0);
    assertThat(p.next(Retry.AT_ONCE, 1)).isEqualTo(new Plan(Retry.AT_ONCE, 0));
  }

  @Test
  void shuttingDownFirstRetryAtOnceThenBackoff() {
    RetryPlanner p = planner(false);
    assertThat(p.next(RetryPolicy.classify(io.grpc.Status.Code.UNAVAILABLE, "SHUTTING_DOWN", false), 0))
        .isEqualTo(new Plan(Retry.AT_ONCE, 0));
    assertThat(p.next(RetryPolicy.classify(io.grpc.Status.Code.UNAVAILABLE, null, false), 0))
        .isEqualTo(new Plan(Retry.BACKOFF, 250));
  }

  @Covers("PRS-RCN-7")
  @Test
  void expiredCredentialsAreReplacedWithoutBackoffEvenAfterFailures() {
    RetryPlanner p = planner(true);
    p.next(Retry.BACKOFF, 0);
    p.next(Retry.BACKOFF, 0);
    p.opened(0);
    assertThat(p.next(Retry.AT_ONCE, 5_000)).isEqualTo(new Plan(Retry.AT_ONCE, 0));
  }

  @Test
  void newCredentialsOncePerOutageAndNeverWithoutASupplier() {
    RetryPlanner p = planner(true);
    assertThat(p.next(Retry.NEW_CREDENTIALS, 0)).isEqualTo(new Plan(Retry.NEW_CREDENTIALS, 0));
    assertThat(p.next(Retry.NEW_CREDENTIALS, 0).retry()).isEqualTo(Retry.NEVER);
    assertThat(planner(false).next(Retry.NEW_CREDENTIALS, 0).retry()).isEqualTo(Retry.NEVER);
  }

  @Covers("PRS-RCN-5")
  @Test
  void tooManySessionsKeepsBeingRetriedLongAfterLeaveDetectionPlusTheWindow() {
    RetryPlanner p = planner(true);
    p.opened(0);
    Retry tooMany = RetryPolicy.classify(io.grpc.Status.Code.RESOURCE_EXHAUSTED, "TOO_MANY_SESSIONS", false);
    long now = 60_000;
    for (int i = 0; i < 20; i++) {
      Plan plan = p.next(tooMany, now);
      assertThat(plan.retry()).isEqualTo(Retry.BACKOFF);
      now += plan.delayMillis();
    }
    assertThat(now - 60_000).as("still retrying after far more than leave_detection_millis + W")
        .isGreaterThan(10_000 + 50);
  }

  @Test
  void theBuilderDefaultsAreTheBackoffDefaults() {
    assertThat(Backoff.DEFAULT_INITIAL).isEqualTo(Duration.ofMillis(250));
    assertThat(Backoff.DEFAULT_MAX).isEqualTo(Duration.ofSeconds(30));
  }
}
