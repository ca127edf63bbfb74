package dev.presence.conformance.history;

import dev.presence.protocol.v1.NullReason;

/** The ways a client can end a session, with the null reason SPEC.md PRS-END-3 requires for each. */
public enum EndKind {
  /** A {@code leave} frame. */
  LEAVE_FRAME(NullReason.NULL_REASON_LEFT),
  /** The client half-closes the call. */
  HALF_CLOSE(NullReason.NULL_REASON_LEFT),
  /** The client cancels the call. */
  CANCEL(NullReason.NULL_REASON_LEFT),
  /** The network path stops carrying packets; only the server's liveness detection notices. */
  NETWORK_BLACKHOLE(NullReason.NULL_REASON_TIMED_OUT),
  /** The network path is reset. */
  NETWORK_RESET(NullReason.NULL_REASON_LEFT);

  private final NullReason expectedReason;

  EndKind(NullReason expectedReason) {
    this.expectedReason = expectedReason;
  }

  /** Returns whether this end needs the kit's network fault proxy. */
  public boolean networkFault() {
    return this == NETWORK_BLACKHOLE || this == NETWORK_RESET;
  }

  /** The reason the others in the room must see when this ends a user's last session. */
  public NullReason expectedReason() {
    return expectedReason;
  }
}
