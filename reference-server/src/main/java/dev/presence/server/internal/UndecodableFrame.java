package dev.presence.server.internal;

import dev.presence.protocol.v1.ConnectRequest;

/**
 * Stand-ins a binding delivers instead of frames it could not decode, so the session, not the transport,
 * answers them with a presence.v1 reason, in order with the frames around them. They are recognized by identity: no frame parsed from
 * the wire is ever the same object, so a client cannot forge them.
 */
public final class UndecodableFrame {
  /** A frame longer than max_inbound_frame_bytes, left unread (PRS-TRN-6). */
  public static final ConnectRequest OVERSIZED = ConnectRequest.newBuilder().build();
  /** Bytes that are not a ConnectRequest in any lenient reading (PRS-TRN-9). */
  public static final ConnectRequest MALFORMED = ConnectRequest.newBuilder().build();
  /** A WebSocket text message, which is no frame of that binding and ends the call (PRS-WS-5). */
  public static final ConnectRequest TEXT_MESSAGE = ConnectRequest.newBuilder().build();

  private UndecodableFrame() {}
}
