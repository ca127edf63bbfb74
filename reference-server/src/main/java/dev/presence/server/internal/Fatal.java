package dev.presence.server.internal;

import com.google.rpc.Code;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.server.session.CallStatus;
import java.util.Map;

/**
 * A fatal error: the status that ends a call, with the {@code ErrorInfo} reason and metadata of PRS-ERR-2
 * and the code mapping of PRS-ERR-3. Each binding carries it its own way (PRS-WS-10).
 */
public final class Fatal {
  /** The ErrorInfo domain of every presence.v1 error. */
  public static final String DOMAIN = "presence.v1";

  private final CallStatus status;
  private final ErrorReason reason;

  private Fatal(CallStatus status, ErrorReason reason) {
    this.status = status;
    this.reason = reason;
  }

  /**
   * @param reason one of the fatal reasons
   * @param message for humans; never contains presence state (PRS-PRV-2)
   * @return the fatal error
   */
  public static Fatal of(ErrorReason reason, String message) {
    return of(reason, message, Map.of());
  }

  /**
   * @param reason one of the fatal reasons
   * @param message for humans; never contains presence state (PRS-PRV-2)
   * @param metadata ErrorInfo metadata
   * @return the fatal error
   */
  public static Fatal of(ErrorReason reason, String message, Map<String, String> metadata) {
    String name = reason.name().substring("ERROR_REASON_".length());
    return new Fatal(new CallStatus(codeOf(reason), message, name, metadata), reason);
  }

  /** @param reason a fatal reason @return its gRPC code */
  public static Code codeOf(ErrorReason reason) {
    switch (reason) {
      case ERROR_REASON_OPEN_REQUIRED:
      case ERROR_REASON_INVALID_ROOM_ID:
      case ERROR_REASON_MALFORMED_FRAME:
        return Code.INVALID_ARGUMENT;
      case ERROR_REASON_UNAUTHENTICATED:
      case ERROR_REASON_CREDENTIALS_EXPIRED:
        return Code.UNAUTHENTICATED;
      case ERROR_REASON_ROOM_FORBIDDEN:
        return Code.PERMISSION_DENIED;
      case ERROR_REASON_TOO_MANY_SESSIONS:
      case ERROR_REASON_FRAME_TOO_LARGE:
        return Code.RESOURCE_EXHAUSTED;
      case ERROR_REASON_UNSUPPORTED_VERSION:
        return Code.FAILED_PRECONDITION;
      case ERROR_REASON_IDLE_TIMEOUT:
      case ERROR_REASON_PING_TIMEOUT:
      case ERROR_REASON_OPEN_TIMEOUT:
        return Code.DEADLINE_EXCEEDED;
      case ERROR_REASON_SHUTTING_DOWN:
        return Code.UNAVAILABLE;
      default:
        throw new IllegalArgumentException("not a fatal reason: " + reason);
    }
  }

  /** @return the status to close the call with */
  public CallStatus status() {
    return status;
  }

  /** @return the machine-readable reason */
  public ErrorReason reason() {
    return reason;
  }
}
