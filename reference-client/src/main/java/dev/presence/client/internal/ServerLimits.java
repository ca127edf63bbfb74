package dev.presence.client.internal;

import dev.presence.protocol.v1.Limits;

/**
 * The limits a session's {@code opened} advertised, with the values a client assumes for fields a server left
 * at zero: a Draft 1 server sends no {@code max_state_depth} or {@code max_outbound_frame_bytes} (PRS-LIM-5).
 *
 * @param throttleWindowMillis W, or {@link OwnState#DEFAULT_WINDOW_MILLIS} when not advertised
 * @param maxStateBytes the largest state, 0 when not advertised (then unchecked)
 * @param maxStateDepth the deepest state; 32 when advertised as 0
 * @param leaveDetectionMillis the leave detection bound, {@link #UNADVERTISED_DETECTION_MILLIS} when not advertised
 * @param maxSessionsPerUser sessions one user may hold in the room, 0 when not advertised
 * @param maxOutboundFrameBytes the largest frame the server sends; 4194304 when advertised as 0
 */
record ServerLimits(long throttleWindowMillis, int maxStateBytes, int maxStateDepth, long leaveDetectionMillis,
    int maxSessionsPerUser, int maxOutboundFrameBytes) {
  /** PRS-LIM-5: the depth a client assumes from a server that advertises 0. */
  static final int DEFAULT_STATE_DEPTH = 32;
  /** PRS-LIM-5 and PRS-TRN-8: the frame size every client accepts, and assumes from a server that advertises 0. */
  static final int DEFAULT_FRAME_BYTES = 4_194_304;
  /** The leave detection bound assumed until a server advertises one. */
  static final long UNADVERTISED_DETECTION_MILLIS = 10_000;
  /** What a client assumes before any {@code opened}. */
  static final ServerLimits UNADVERTISED = of(Limits.getDefaultInstance());

  static ServerLimits of(Limits l) {
    return new ServerLimits(
        orDefault(l.getThrottleWindowMillis(), OwnState.DEFAULT_WINDOW_MILLIS),
        l.getMaxStateBytes(),
        (int) orDefault(l.getMaxStateDepth(), DEFAULT_STATE_DEPTH),
        orDefault(l.getLeaveDetectionMillis(), UNADVERTISED_DETECTION_MILLIS),
        l.getMaxSessionsPerUser(),
        (int) orDefault(l.getMaxOutboundFrameBytes(), DEFAULT_FRAME_BYTES));
  }

  private static long orDefault(int advertised, long fallback) {
    return advertised == 0 ? fallback : Integer.toUnsignedLong(advertised);
  }

  /** PRS-TRN-8: the inbound frame size to accept on a call, never below 4194304 bytes. */
  int inboundFrameBytes() {
    return Math.max(DEFAULT_FRAME_BYTES, maxOutboundFrameBytes);
  }
}
