package dev.presence.conformance.driver;

import io.grpc.Status;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a call ended, read the same way on both bindings: a gRPC status code and the {@code ErrorInfo} reason and
 * metadata of domain {@code presence.v1} (PRS-ERR-2), from trailers on gRPC and from {@code session_end} or the Close
 * frame on WebSocket (PRS-WS-11).
 *
 * @param code the status code
 * @param reason the ErrorInfo reason, or empty for none
 * @param metadata the ErrorInfo metadata
 * @param description the status message, or empty
 * @param close how the WebSocket connection closed; empty on the gRPC binding
 */
public record CallEnd(Status.Code code, String reason, Map<String, String> metadata, String description,
    Optional<WebSocketClose> close) {

  /** Validates and copies the components. */
  public CallEnd {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(reason, "reason");
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(close, "close");
  }

  /** An end without ErrorInfo, such as the transport's own. */
  static CallEnd bare(Status.Code code, String description, Optional<WebSocketClose> close) {
    return new CallEnd(code, "", Map.of(), description, close);
  }

  /**
   * How a WebSocket connection closed.
   *
   * @param code the Close frame's status code, or 1006 when the connection closed without one
   * @param reason the Close frame's reason text, or empty
   */
  public record WebSocketClose(int code, String reason) {}
}
