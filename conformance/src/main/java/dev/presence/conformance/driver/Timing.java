package dev.presence.conformance.driver;

import java.time.Duration;

/**
 * The kit's time allowances. Expectations about delivery are checked against the server's advertised window plus
 * the measured round trip plus {@code slackMillis}; nothing else is a fixed sleep.
 *
 * @param slackMillis extra allowance on every delivery deadline, for scheduling noise on busy machines
 * @param spacingToleranceMillis how much closer than one window two deliveries may be observed at the kit, since
 *     the network can bunch frames the server sent a window apart
 * @param requestTimeout how long to wait for an opened, ack or snapshot_complete
 */
public record Timing(long slackMillis, long spacingToleranceMillis, Duration requestTimeout) {

  /** Validates the allowances. */
  public Timing {
    if (slackMillis < 0 || spacingToleranceMillis < 0 || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("timing allowances must be non-negative and the timeout positive");
    }
  }

  /** The default extra allowance on every delivery deadline. */
  public static final long DEFAULT_SLACK_MILLIS = 150;
  /** The default spacing tolerance. */
  public static final long DEFAULT_SPACING_TOLERANCE_MILLIS = 20;
  /** The default wait for an opened, ack or snapshot_complete. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** Returns the default allowances. */
  public static Timing defaults() {
    return new Timing(DEFAULT_SLACK_MILLIS, DEFAULT_SPACING_TOLERANCE_MILLIS, DEFAULT_REQUEST_TIMEOUT);
  }
}
