package dev.presence.conformance.history;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
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
   * A frame the kit received on a session.
   *
   * @param nanos when
   * @param session the kit's name for the session
   * @param frame the frame
   */
  record Received(long nanos, String session, ConnectResponse frame) implements Observation {}

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
}
