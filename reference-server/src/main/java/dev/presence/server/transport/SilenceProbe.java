package dev.presence.server.transport;

import java.util.concurrent.TimeUnit;

/**
 * Liveness of one connection, on either binding, to the precision PRS-LIV-1 demands: after half of
 * leave_detection_millis without inbound bytes the connection is probed (an HTTP/2 PING, a WebSocket Ping),
 * and a connection still silent a little less than the other half later is given up as unreachable
 * (PRS-WS-13). The owner calls {@link #check} every {@link Timing#checkEveryMillis()}; confined to the
 * connection's event loop.
 */
final class SilenceProbe {
  /** What the owner of the connection does after a check. */
  enum Verdict {
    /** Nothing. */
    WAIT,
    /** Write a probe now. */
    PROBE,
    /** Close the connection: the peer is unreachable. */
    GIVE_UP
  }

  /**
   * The probe's schedule for one leave detection bound. Worst case: silence reaches the threshold just after a
   * check (one check period late), the probe times out just after a check (another period):
   * half + period + (half - 2 periods) + period.
   *
   * @param checkEveryMillis how often the owner checks
   * @param probeAfterNanos silence that triggers a probe
   * @param probeTimeoutNanos how long a probe may go unanswered
   */
  record Timing(long checkEveryMillis, long probeAfterNanos, long probeTimeoutNanos) {
    /** @param leaveDetectionMillis the bound within which a silent peer must be declared gone @return the timing */
    static Timing forLeaveDetection(long leaveDetectionMillis) {
      long period = Math.max(10, leaveDetectionMillis / 10);
      long half = leaveDetectionMillis / 2;
      return new Timing(period, TimeUnit.MILLISECONDS.toNanos(half),
          TimeUnit.MILLISECONDS.toNanos(Math.max(period, leaveDetectionMillis - half - 2 * period)));
    }
  }

  private final Timing timing;
  private long lastReadNanos;
  private long probeSentNanos;
  private boolean probeOutstanding;

  /** @param timing the schedule @param nowNanos when the connection was accepted */
  SilenceProbe(Timing timing, long nowNanos) {
    this.timing = timing;
    this.lastReadNanos = nowNanos;
  }

  /** @param nowNanos when bytes arrived from the peer */
  void onRead(long nowNanos) {
    lastReadNanos = nowNanos;
    probeOutstanding = false;
  }

  /** @return whether a probe is waiting for the peer */
  boolean probeOutstanding() {
    return probeOutstanding;
  }

  /**
   * Withdraws a probe that could not be written; the silence still counts, and a later check probes again.
   */
  void probeNotSent() {
    probeOutstanding = false;
  }

  /** @param nowNanos the time of the check @return what to do */
  Verdict check(long nowNanos) {
    if (probeOutstanding) {
      return nowNanos - probeSentNanos >= timing.probeTimeoutNanos() ? Verdict.GIVE_UP : Verdict.WAIT;
    }
    if (nowNanos - lastReadNanos >= timing.probeAfterNanos()) {
      probeOutstanding = true;
      probeSentNanos = nowNanos;
      return Verdict.PROBE;
    }
    return Verdict.WAIT;
  }
}
