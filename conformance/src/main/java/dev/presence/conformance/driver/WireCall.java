package dev.presence.conformance.driver;

import dev.presence.protocol.v1.ConnectResponse;

/**
 * The transport of one call as {@link RawSession} drives it, on either binding: requests go out as bytes, frames
 * come in one at a time as the session asks for them, and the end arrives once, already read as SPEC.md §14 reads
 * an end.
 */
public interface WireCall {

  /** Sends one request message, whether or not it decodes as a ConnectRequest. */
  void send(byte[] message);

  /** Ends the client's side cleanly: a gRPC half-close, a WebSocket Close frame with code 1000 (PRS-WS-12). */
  void halfClose();

  /** Ends the call abruptly, as a client that goes away does; the listener hears a local {@code CANCELLED}. */
  void cancel();

  /** Lets one more inbound frame reach the listener; until then the transport holds back. */
  void request();

  /** Hears what arrives on the call; never called concurrently for one call. */
  interface Listener {
    /** A frame from the server, {@code session_end} included. */
    void onFrame(ConnectResponse frame);

    /** The end of the call; called exactly once. */
    void onEnd(CallEnd end);
  }
}
