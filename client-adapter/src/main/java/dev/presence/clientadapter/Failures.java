package dev.presence.clientadapter;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.presence.client.PresenceException;
import dev.presence.conformance.adapter.v1.Failure;
import dev.presence.protocol.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what the client throws or reports into the kit's Failure: gRPC code, presence.v1 reason, message. */
final class Failures {
  private Failures() {}

  /** A failure the adapter itself raises, for a command it cannot carry out. */
  static Failure ofMessage(String message) {
    return Failure.newBuilder().setMessage(message).build();
  }

  /**
   * Maps an error from the client.
   *
   * <p>The code is set only when a call's end caused the error. The reason is set only when it is a presence.v1
   * reason: the client names an error without {@code ErrorInfo} by its status code and has reasons of its own
   * ({@code CLIENT_CLOSED}); those stay in the message, where the client puts them too.
   *
   * @param error what the client threw or passed to a callback
   * @return the failure
   */
  static Failure of(Throwable error) {
    Throwable e = unwrap(error);
    Failure.Builder failure = Failure.newBuilder().setMessage(String.valueOf(e.getMessage()));
    Throwable call = callEnd(e);
    String infoReason = call == null ? null : errorInfoReason(call);
    if (call != null) {
      failure.setCode(Status.fromThrowable(call).getCode().name());
    }
    String reason = e instanceof PresenceException p ? p.reason() : infoReason;
    boolean onlyTheCode = call != null && infoReason == null;
    if (reason != null && !onlyTheCode && isProtocolReason(reason)) {
      failure.setReason(reason);
    }
    return failure.build();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The gRPC status exception in the cause chain, or null when no call's end is involved. */
  private static Throwable callEnd(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatusRuntimeException || t instanceof StatusException) {
        return t;
      }
    }
    return null;
  }

  private static String errorInfoReason(Throwable call) {
    com.google.rpc.Status details = StatusProto.fromThrowable(call);
    if (details == null) {
      return null;
    }
    for (Any any : details.getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        try {
          return any.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static boolean isProtocolReason(String reason) {
    if (reason.isEmpty() || reason.equals("UNSPECIFIED")) {
      return false;
    }
    try {
      ErrorReason.valueOf("ERROR_REASON_" + reason);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
