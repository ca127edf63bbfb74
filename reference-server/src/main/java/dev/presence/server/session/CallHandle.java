package dev.presence.server.session;

import dev.presence.server.fanout.FrameSink;

/**
 * The session's side of its call, whichever binding carries it. Once the session is open, only its room's
 * serial executor uses it, which is what makes the underlying, non-thread-safe call safe to use.
 */
public interface CallHandle extends FrameSink {
  /** Asks the transport for one more inbound frame; inbound flow control is manual. */
  void requestNext();

  /**
   * Ends the call as its binding says: on gRPC with the status and its ErrorInfo in the trailers, on
   * WebSocket with a {@code session_end} frame and a Close frame. Later calls are ignored.
   *
   * @param status OK or a fatal status
   */
  void close(CallStatus status);
}
