package dev.presence.conformance.client.server;

import dev.presence.protocol.v1.ConnectRequest;
import java.util.Optional;

/**
 * One message the client sent on a call, as received.
 *
 * @param nanos when it arrived, by {@link System#nanoTime()}
 * @param raw its bytes exactly as they came off the wire
 * @param frame the decoded frame, or empty when the bytes are no ConnectRequest
 */
public record Inbound(long nanos, byte[] raw, Optional<ConnectRequest> frame) {

  /** Returns the frame's kind, or {@code FRAME_NOT_SET} when it did not decode or set no kind. */
  public ConnectRequest.FrameCase kind() {
    return frame.map(ConnectRequest::getFrameCase).orElse(ConnectRequest.FrameCase.FRAME_NOT_SET);
  }

  /** Returns whether the bytes decoded as a ConnectRequest. */
  public boolean decoded() {
    return frame.isPresent();
  }
}
