package dev.presence.server.session;

import com.google.rpc.Code;
import java.util.Map;
import java.util.Objects;

/**
 * How a call ends, in the terms both bindings carry (PRS-ERR-2, PRS-WS-10): a gRPC status code, a message
 * for humans, and the {@code ErrorInfo} reason and metadata when the status has them.
 *
 * @param code the status code
 * @param message for humans; never contains presence state or credentials
 * @param reason the ErrorInfo reason (the ErrorReason name without its prefix), or empty for no ErrorInfo
 * @param metadata the ErrorInfo metadata; empty without ErrorInfo
 */
public record CallStatus(Code code, String message, String reason, Map<String, String> metadata) {
  /** The end of a session that ended as the client asked (PRS-END-1). */
  public static final CallStatus OK = new CallStatus(Code.OK, "", "", Map.of());

  /** Checks the components and freezes the metadata. */
  public CallStatus {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(reason, "reason");
    metadata = Map.copyOf(metadata);
    if (reason.isEmpty() && !metadata.isEmpty()) {
      throw new IllegalArgumentException("metadata travels in ErrorInfo, which needs a reason");
    }
  }

  /** @param code a status code @param message for humans @return a status without ErrorInfo */
  public static CallStatus withoutReason(Code code, String message) {
    return new CallStatus(code, message, "", Map.of());
  }

  /** @return whether the status is OK */
  public boolean isOk() {
    return code == Code.OK;
  }

  /** @return whether the status carries an ErrorInfo */
  public boolean hasErrorInfo() {
    return !reason.isEmpty();
  }
}
