package dev.presence.client.internal;

import io.grpc.Status;

/**
 * The "client retries?" column of SPEC §14 (PRS-RCN-3) as one classification of how a call ended: its gRPC code
 * and, when the server attached one, its {@code ErrorInfo} reason. A reason this client does not know is judged by
 * its code (PRS-ERR-5).
 */
final class RetryPolicy {
  /** What the table says to do after a call ended. */
  enum Retry {
    /** Retrying cannot help; the client stops and reports the error. */
    NEVER,
    /** Reopen without delay, with fresh credentials; a second at-once retry in a row waits like {@link #BACKOFF}. */
    AT_ONCE,
    /** Reopen after the backoff delay of PRS-RCN-4. */
    BACKOFF,
    /** Reopen once, at once, if the credentials supplier hands out a different token; else stop. */
    NEW_CREDENTIALS
  }

  private RetryPolicy() {}

  /**
   * Classifies the end of a call.
   *
   * @param code the call's status code
   * @param reason the {@code ErrorInfo} reason, or null when there was none
   * @param afterOwnLeave whether the client had sent {@code leave} on the call
   * @return what to do
   */
  static Retry classify(Status.Code code, String reason, boolean afterOwnLeave) {
    if (code == Status.Code.OK) {
      return afterOwnLeave ? Retry.NEVER : Retry.BACKOFF;
    }
    Retry byReason = reason == null ? null : byReason(reason);
    return byReason != null ? byReason : byCode(code);
  }

  private static Retry byReason(String reason) {
    return switch (reason) {
      case "OPEN_REQUIRED", "INVALID_ROOM_ID", "MALFORMED_FRAME", "UNSUPPORTED_VERSION", "ROOM_FORBIDDEN",
          "FRAME_TOO_LARGE" -> Retry.NEVER;
      case "UNAUTHENTICATED" -> Retry.NEW_CREDENTIALS;
      case "CREDENTIALS_EXPIRED", "SHUTTING_DOWN" -> Retry.AT_ONCE;
      case "TOO_MANY_SESSIONS", "IDLE_TIMEOUT", "PING_TIMEOUT", "OPEN_TIMEOUT" -> Retry.BACKOFF;
      default -> null;
    };
  }

  private static Retry byCode(Status.Code code) {
    return switch (code) {
      // UNIMPLEMENTED: wrong service or version (PRS-EVO-7); the others as PRS-RCN-1.
      case UNIMPLEMENTED, PERMISSION_DENIED, INVALID_ARGUMENT, FAILED_PRECONDITION -> Retry.NEVER;
      case UNAUTHENTICATED -> Retry.NEW_CREDENTIALS;
      default -> Retry.BACKOFF;
    };
  }
}
