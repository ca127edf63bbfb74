package dev.presence.server.internal;

import dev.presence.protocol.v1.ConnectRequest;

/**
 * Stand-ins the request marshaller delivers instead of frames it could not decode, so the session, not
 * gRPC, answers them with a presence.v1 reason. They are recognized by identity: no frame parsed from
 * the wire is ever the same object, so a client cannot forge them.
 */
public final class UndecodableFrame {
  /** A frame longer than max_inbound_frame_bytes, left unread (PRS-TRN-6). */
  public static final ConnectRequest OVERSIZED = ConnectRequest.newBuilder().build();
  /** Bytes that are not a ConnectRequest in any lenient reading (PRS-TRN-9). */
  public static final ConnectRequest MALFORMED = ConnectRequest.newBuilder().build();

  private UndecodableFrame() {}
}
