package dev.presence.client.internal;

import dev.presence.client.internal.RetryPolicy.Retry;

/**
 * When the next session is opened after one ended (PRS-RCN-3, PRS-RCN-4, PRS-RCN-7): turns the classification of
 * {@link RetryPolicy} into a delay. The backoff exponent counts failed attempts since the last session that stayed
 * open {@value #STABLE_SESSION_MILLIS} ms or more. An at-once retry is at once only the first time in a row, so a
 * server that keeps answering {@code SHUTTING_DOWN} is not hammered; new credentials are tried once per outage.
 *
 * <p>Pure logic on caller-supplied times; confined to the client lock.
 */
final class RetryPlanner {
  /** A session open this long resets the backoff exponent (PRS-RCN-4). */
  static final long STABLE_SESSION_MILLIS = 10_000;

  /**
   * The decision after a call ended.
   *
   * @param retry {@link Retry#NEVER} to stop, else how the next attempt is made
   * @param delayMillis how long to wait before it
   */
  record Plan(Retry retry, long delayMillis) {}

  private final Backoff backoff;
  private final boolean hasCredentials;
  private long openedAt;
  private boolean open;
  private boolean atOnceUsed;
  private boolean newCredentialsUsed;

  /**
   * Creates a planner.
   *
   * @param backoff the backoff, owned by this planner from now on
   * @param hasCredentials whether the application supplies tokens, without which new credentials never come
   */
  RetryPlanner(Backoff backoff, boolean hasCredentials) {
    this.backoff = backoff;
    this.hasCredentials = hasCredentials;
  }

  /** A session opened at this time. */
  void opened(long nowMillis) {
    open = true;
    openedAt = nowMillis;
    atOnceUsed = false;
    newCredentialsUsed = false;
  }

  /**
   * A session or an attempt ended; plans the next attempt.
   *
   * @param retry the classification of how it ended
   * @param nowMillis the current time
   * @return the plan
   */
  Plan next(Retry retry, long nowMillis) {
    if (open && nowMillis - openedAt >= STABLE_SESSION_MILLIS) {
      backoff.reset();
    }
    open = false;
    return switch (retry) {
      case NEVER -> new Plan(Retry.NEVER, 0);
      case AT_ONCE -> atOnce();
      case NEW_CREDENTIALS -> newCredentials();
      case BACKOFF -> new Plan(Retry.BACKOFF, backoff.nextDelayMillis());
    };
  }

  private Plan atOnce() {
    if (atOnceUsed) {
      return new Plan(Retry.BACKOFF, backoff.nextDelayMillis());
    }
    atOnceUsed = true;
    return new Plan(Retry.AT_ONCE, 0);
  }

  private Plan newCredentials() {
    if (!hasCredentials || newCredentialsUsed) {
      return new Plan(Retry.NEVER, 0);
    }
    newCredentialsUsed = true;
    return new Plan(Retry.NEW_CREDENTIALS, 0);
  }
}
