package dev.presence.server.session;

import dev.presence.server.fanout.FrameSink;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * The session's side of its call. Once the session is open, only its room's serial executor uses it,
 * which is what makes the underlying, non-thread-safe call safe to use.
 */
public interface CallHandle extends FrameSink {
  /** Asks the transport for one more inbound frame; inbound flow control is manual. */
  void requestNext();

  /**
   * Ends the call.
   *
   * @param status OK or a fatal status
   * @param trailers trailers, with error details for a fatal status
   */
  void close(Status status, Metadata trailers);
}
