package dev.presence.client.internal;

/**
 * Decides when a silent server gets a ping and when it is given up on (PRS-LIV-3). Nothing else would notice a
 * server that stopped answering while the client has nothing to send. After half of the detection bound without
 * any frame the client pings; the server must answer at once, so if nothing at all arrives within the detection
 * bound of that ping the session is abandoned. Any frame counts as an answer.
 *
 * <p>Pure logic on a caller-supplied clock; confined to the client lock.
 */
final class LivenessMonitor {
  /** What to do at a check. */
  enum Verdict {
    /** The server was heard recently enough, or a ping is still in time. */
    WAIT,
    /** Send a ping now. */
    PING,
    /** The ping went unanswered for the whole detection bound. */
    ABANDON
  }

  private static final long UNADVERTISED_DETECTION_MILLIS = 10_000;

  private final long detectionMillis;
  private final long quietMillis;
  private long lastHeardAt;
  private boolean awaitingAnswer;
  private long pingSentAt;
  private long nonce;

  /**
   * Starts watching a session that was just heard from.
   *
   * @param advertisedDetectionMillis {@code Limits.leave_detection_millis}, 0 if the server gave none
   * @param nowMillis the current time
   */
  LivenessMonitor(long advertisedDetectionMillis, long nowMillis) {
    this.detectionMillis = advertisedDetectionMillis > 0 ? advertisedDetectionMillis : UNADVERTISED_DETECTION_MILLIS;
    // Never spin faster than every 10 ms, and check at least every 5 s however lax the server's bound.
    this.quietMillis = Math.max(10, Math.min(5_000, detectionMillis / 2));
    this.lastHeardAt = nowMillis;
  }

  long detectionMillis() {
    return detectionMillis;
  }

  /** How often {@link #check} should run. */
  long checkIntervalMillis() {
    return quietMillis;
  }

  void heard(long nowMillis) {
    lastHeardAt = nowMillis;
    awaitingAnswer = false;
  }

  Verdict check(long nowMillis) {
    if (awaitingAnswer) {
      return nowMillis - pingSentAt >= detectionMillis ? Verdict.ABANDON : Verdict.WAIT;
    }
    if (nowMillis - lastHeardAt >= quietMillis) {
      awaitingAnswer = true;
      pingSentAt = nowMillis;
      return Verdict.PING;
    }
    return Verdict.WAIT;
  }

  /** The nonce for the ping a {@link Verdict#PING} asks for; never zero. */
  long nextNonce() {
    return ++nonce;
  }
}
