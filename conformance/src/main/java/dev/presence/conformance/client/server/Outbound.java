package dev.presence.conformance.client.server;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.ConnectResponse;
import java.util.Optional;

/**
 * One message the kit sent on a call.
 *
 * @param nanos when it was handed to gRPC, by {@link System#nanoTime()}
 * @param raw its bytes exactly as sent, unknown fields included
 */
public record Outbound(long nanos, byte[] raw) {

  /** Returns the bytes decoded as a ConnectResponse, or empty for bytes sent on purpose as something else. */
  public Optional<ConnectResponse> frame() {
    try {
      return Optional.of(Frames.parseResponse(raw));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }
}
