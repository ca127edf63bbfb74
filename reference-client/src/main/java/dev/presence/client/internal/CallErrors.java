package dev.presence.client.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.presence.client.PresenceException;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads why a {@code Connect} call ended: its status and the {@code ErrorInfo} reason the server attached. */
final class CallErrors {
  private static final Logger log = LoggerFactory.getLogger(CallErrors.class);

  private CallErrors() {}

  /** The {@code ErrorInfo} reason of the call's status, or null when the server gave none. */
  static String reasonOf(Throwable error) {
    com.google.rpc.Status details = error == null ? null : StatusProto.fromThrowable(error);
    if (details == null) {
      return null;
    }
    for (Any any : details.getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        try {
          return any.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException e) {
          log.debug("unreadable ErrorInfo", e);
        }
      }
    }
    return null;
  }

  /** The error reported to the application, named by the reason if there is one, else by the status code. */
  static PresenceException failureOf(Throwable error, Status status, String reason) {
    String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
    return new PresenceException(reason == null ? status.getCode().name() : reason, message, true, error);
  }

  /** For the log: the status code and description, or "completed" when the server completed the call. */
  static String describe(Throwable t) {
    if (t == null) {
      return "completed";
    }
    Status s = Status.fromThrowable(t);
    return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
  }
}
