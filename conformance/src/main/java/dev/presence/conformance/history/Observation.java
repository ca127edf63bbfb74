package dev.presence.conformance.history;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.SessionEnd;
import io.grpc.Status;

/**
 * One timestamped entry of a {@link History}: something the kit sent, observed, or did.
 *
 * <p>Timestamps are {@link System#nanoTime()}-based nanoseconds from the kit's clock, comparable only within one
 * history.
 */
public sealed interface Observation {

  /** When the kit sent or observed it, in nanoseconds. */
  long nanos();

  /**
   * A frame the kit wrote to a session.
   *
   * @param nanos when
   * @param session the kit's name for the session
   * @param frame the frame
   */
  record Sent(long nanos, String session, ConnectRequest frame) implements Observation {}

  /**
   * The kit started a session's call, before any frame.
   *
   * @param nanos when
   * @param session the kit's name for the session
   * @param binding the transport binding of the call
   * @param endpoint where the call goes, as the run names it
   */
  record Started(long nanos, String session, Binding binding, String endpoint) implements Observation {}

  /**
   * A frame the kit received on a session, other than {@code session_end}.
   *
   * @param nanos when
   * @param session the kit's name for the session
   * @param frame the frame
   */
  record Received(long nanos, String session, ConnectResponse frame) implements Observation {}

  /**
   * A {@code session_end} frame the kit received (PRS-WS-10). It is recorded apart from {@link Received}: it ends
   * the session rather than being one of its frames.
   *
   * @param nanos when
   * @param session the kit's name for the session
   * @param frame the frame
   */
  record SessionEndReceived(long nanos, String session, SessionEnd frame) implements Observation {}

  /**
   * How a WebSocket connection closed, as the kit saw it: the server's Close frame, or
   * {@link #NO_CLOSE_FRAME} when the connection ended without one.
   *
   * @param nanos when
   * @param session the kit's name for the session
   * @param code the Close frame's status code
   * @param reason the Close frame's reason text, or empty
   */
  record WebSocketClosed(long nanos, String session, int code, String reason) implements Observation {
    /** RFC 6455 §7.4.1: the code that stands for a connection closed without a Close frame. */
    public static final int NO_CLOSE_FRAME = 1006;
  }

  /**
   * The answer to a WebSocket opening handshake the kit made by hand.
   *
   * @param nanos when
   * @param connection the kit's name for the connection
   * @param request the request line and the names of the headers sent
   * @param status the answer's HTTP status
   * @param headers the answer's headers, one {@code name: value} each, bearer entries redacted
   */
  record HandshakeAnswered(long nanos, String connection, String request, int status, java.util.List<String> headers)
      implements Observation {
    /** Copies the headers. */
    public HandshakeAnswered {
      headers = java.util.List.copyOf(headers);
    }
  }

  /**
   * The session's call ended, as the kit saw it.
   *
   * @param nanos when
   * @param session the kit's name for the session
   * @param code the gRPC status code
   * @param errorInfoReason the {@code google.rpc.ErrorInfo} reason (domain {@code presence.v1}), or empty when
   *     there was none
   * @param errorInfoMetadata the ErrorInfo metadata, or empty
   * @param description the status description, or empty
   */
  record Ended(long nanos, String session, Status.Code code, String errorInfoReason,
      java.util.Map<String, String> errorInfoMetadata, String description) implements Observation {
    /** Copies the metadata. */
    public Ended {
      errorInfoMetadata = java.util.Map.copyOf(errorInfoMetadata);
    }
  }

  /**
   * The kit ended a session from its side.
   *
   * @param nanos when
   * @param session the kit's name for the session
   * @param how which way of ending it used
   */
  record KitEnded(long nanos, String session, EndKind how) implements Observation {}

  /**
   * A step of a scenario began.
   *
   * @param nanos when
   * @param index the step's zero-based index
   * @param description the step, readable
   */
  record StepStarted(long nanos, int index, String description) implements Observation {}

  /**
   * The kit waited after a step for its effects to settle; expectations of the model hold from here.
   *
   * @param nanos when the wait ended
   * @param index the step's zero-based index
   */
  record Settled(long nanos, int index) implements Observation {}

  /**
   * The delivery bound of a step passed while its expectation did not yet hold. The kit keeps waiting a grace period
   * beyond it, so that a late arrival can be told from a missing one and weighed against the kit's own noise.
   *
   * @param nanos when the bound passed
   * @param index the step's zero-based index
   * @param boundNanos the bound, counted from the end of the step's actions
   */
  record DeadlinePassed(long nanos, int index, long boundNanos) implements Observation {}

  /**
   * The kit gave up waiting for the answer to one of a session's requests, and the run stopped there.
   *
   * @param nanos when the kit gave up
   * @param session the session that sent the request
   * @param requestId the request's {@code request_id}, or the nonce of a ping
   * @param awaited what the kit waited for, readable: "snapshot_complete for sub2", "pong"
   * @param waitedMillis how long it waited
   */
  record Unanswered(long nanos, String session, long requestId, String awaited, long waitedMillis)
      implements Observation {}
}
