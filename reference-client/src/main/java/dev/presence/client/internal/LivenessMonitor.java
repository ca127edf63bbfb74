package dev.presence.client.internal;

/**
 * Detects a dead server (PRS-LIV-9): after half of {@code leave_detection_millis} without any frame the client
 * probes with a {@code ping}, and if nothing at all arrives within another half the connection counts as lost.
 * Nothing else would notice a server that stopped answering while the client has nothing to send. Probes are never
 * sent more often than every {@value #MIN_PROBE_SPACING_MILLIS} ms, however short the advertised bound.
 *
 * <p>Pure logic on a caller-supplied clock; confined to the client lock.
 */
final class LivenessMonitor {
  /** What to do at a check. */
  enum Verdict {
    /** The server was heard recently enough, or the probe is still in time. */
    WAIT,
    /** Send a probe now. */
    PROBE,
    /** The probe went unanswered: the connection is lost. */
    LOST
  }

  /** PRS-LIV-9: the shortest interval between two probes. */
  static final long MIN_PROBE_SPACING_MILLIS = 1_000;
  private static final long FINEST_CHECK_MILLIS = 10;
  private static final long COARSEST_CHECK_MILLIS = 500;

  private final long halfBoundMillis;
  private long lastHeardAt;
  private boolean probed;
  private boolean awaitingAnswer;
  private long probeSentAt;
  private long nonce;

  /**
   * Starts watching a session that was just heard from.
   *
   * @param detectionMillis the session's {@code leave_detection_millis} (see {@link ServerLimits})
   * @param nowMillis the current time
   */
  LivenessMonitor(long detectionMillis, long nowMillis) {
    this.halfBoundMillis = Math.max(1, detectionMillis / 2);
    this.lastHeardAt = nowMillis;
  }

  /** How long a probe may go unanswered. */
  long halfBoundMillis() {
    return halfBoundMillis;
  }

  /** How often {@link #check} should run: a small fraction of the half bound, within 10..500 ms. */
  long checkIntervalMillis() {
    return Math.max(FINEST_CHECK_MILLIS, Math.min(COARSEST_CHECK_MILLIS, halfBoundMillis / 5));
  }

  /** A frame arrived; any frame answers a probe. */
  void heard(long nowMillis) {
    lastHeardAt = nowMillis;
    awaitingAnswer = false;
  }

  Verdict check(long nowMillis) {
    if (awaitingAnswer) {
      return nowMillis - probeSentAt >= halfBoundMillis ? Verdict.LOST : Verdict.WAIT;
    }
    boolean quiet = nowMillis - lastHeardAt >= halfBoundMillis;
    boolean spaced = !probed || nowMillis - probeSentAt >= MIN_PROBE_SPACING_MILLIS;
    if (quiet && spaced) {
      probed = true;
      awaitingAnswer = true;
      probeSentAt = nowMillis;
      return Verdict.PROBE;
    }
    return Verdict.WAIT;
  }

  /** The nonce for a ping this client sends; never zero, never repeated within the session. */
  long nextNonce() {
    return ++nonce;
  }
}
