package dev.presence.conformance.client.server;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/** Builds the statuses that end calls, with {@code grpc-status-details-bin} as PRS-ERR-2 says. */
final class ErrorDetails {
  static final String DOMAIN = "presence.v1";
  private static final String PREFIX = "ERROR_REASON_";

  private ErrorDetails() {}

  /** Returns the ErrorInfo reason of an ErrorReason: its name without the prefix. */
  static String reasonName(ErrorReason reason) {
    return reason.name().substring(PREFIX.length());
  }

  /**
   * Returns the exception that ends a call with a status carrying one ErrorInfo.
   *
   * @param reasonName any string, so that reasons a client cannot know can be sent too (PRS-ERR-5)
   */
  static StatusRuntimeException withErrorInfo(Status.Code code, String reasonName, String message,
      Map<String, String> metadata) {
    ErrorInfo info = ErrorInfo.newBuilder()
        .setDomain(DOMAIN)
        .setReason(reasonName)
        .putAllMetadata(metadata)
        .build();
    com.google.rpc.Status proto = com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(message)
        .addDetails(Any.pack(info))
        .build();
    return StatusProto.toStatusRuntimeException(proto);
  }

  /** Returns the exception that ends a call with a bare status, as a proxy or the transport would. */
  static StatusRuntimeException bare(Status.Code code, String message) {
    return Status.fromCode(code).withDescription(message).asRuntimeException();
  }

  /** Returns the gRPC code PRS-ERR-3 gives a fatal reason. */
  static Status.Code codeOf(ErrorReason reason) {
    switch (reason) {
      case ERROR_REASON_OPEN_REQUIRED:
      case ERROR_REASON_INVALID_ROOM_ID:
      case ERROR_REASON_MALFORMED_FRAME:
        return Status.Code.INVALID_ARGUMENT;
      case ERROR_REASON_UNAUTHENTICATED:
      case ERROR_REASON_CREDENTIALS_EXPIRED:
        return Status.Code.UNAUTHENTICATED;
      case ERROR_REASON_ROOM_FORBIDDEN:
        return Status.Code.PERMISSION_DENIED;
      case ERROR_REASON_TOO_MANY_SESSIONS:
      case ERROR_REASON_FRAME_TOO_LARGE:
        return Status.Code.RESOURCE_EXHAUSTED;
      case ERROR_REASON_UNSUPPORTED_VERSION:
        return Status.Code.FAILED_PRECONDITION;
      case ERROR_REASON_IDLE_TIMEOUT:
      case ERROR_REASON_PING_TIMEOUT:
      case ERROR_REASON_OPEN_TIMEOUT:
        return Status.Code.DEADLINE_EXCEEDED;
      case ERROR_REASON_SHUTTING_DOWN:
        return Status.Code.UNAVAILABLE;
      default:
        throw new IllegalArgumentException("not a fatal reason: " + reason);
    }
  }
}
