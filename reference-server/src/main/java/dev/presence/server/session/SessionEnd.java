package dev.presence.server.session;

import dev.presence.protocol.v1.NullReason;

/** Every way a session can end (PRS-END-1), with the null reason its user gets if it was the last (PRS-END-3). */
public enum SessionEnd {
  /** The client half-closed the call. */
  HALF_CLOSE(NullReason.NULL_REASON_LEFT),
  /** The client sent {@code leave}. */
  LEAVE(NullReason.NULL_REASON_LEFT),
  /** The client cancelled the call, or closed or reset the connection. */
  CANCEL(NullReason.NULL_REASON_LEFT),
  /** The server's keepalive found the peer unreachable. */
  TRANSPORT_LOSS(NullReason.NULL_REASON_TIMED_OUT),
  /** No frame for the idle timeout. */
  IDLE_TIMEOUT(NullReason.NULL_REASON_TIMED_OUT),
  /** A server ping went unanswered. */
  PING_TIMEOUT(NullReason.NULL_REASON_TIMED_OUT),
  /** The server is shutting down. */
  SHUTDOWN(NullReason.NULL_REASON_LEFT),
  /** The server ended the session with a fatal protocol error. */
  FATAL_ERROR(NullReason.NULL_REASON_LEFT),
  /** The session's credentials expired or were revoked. */
  REVOKED(NullReason.NULL_REASON_REVOKED);

  private final NullReason nullReason;

  SessionEnd(NullReason nullReason) {
    this.nullReason = nullReason;
  }

  /** @return the reason of the user's null and member_left when this ends their last session */
  public NullReason nullReason() {
    return nullReason;
  }
}
