package dev.presence.server.internal;

import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.session.SessionEnd;

/**
 * What the server counts, as the rooms, fan-out and transport see it. Implementations must be cheap and
 * thread-safe: they are called from room executors and transport threads. Nothing passed here carries a
 * presence state or a user id, so no implementation can leak them into labels (PRS-STA-6).
 */
public interface Metrics {
  /** Where a pending state was replaced before anyone received it. */
  enum CoalesceStage {
    /** In the room, between two ticks: the source sent faster than W. */
    INGRESS,
    /** In one subscriber's outbox: that subscriber was inside its window or not writable. */
    SUBSCRIBER
  }

  /** Counts nothing; for unit tests and embedders that do not want metrics. */
  Metrics NOOP = new Metrics() {};

  /** @param clear whether the frame was {@code clear_state} rather than {@code update_state} */
  default void updateIn(boolean clear) {}

  /** @param tagged whether the events were tagged (snapshot, scope change) @param count events written */
  default void eventsOut(boolean tagged, int count) {}

  /** @param stage where a pending state was replaced before delivery */
  default void coalesced(CoalesceStage stage) {}

  /** @param reason the reason of one null event written to a session */
  default void nullOut(NullReason reason) {}

  /** @param reason a non-fatal error answered with a {@code ProtocolError} frame */
  default void protocolError(ErrorReason reason) {}

  /** @param reason a fatal error that ended a call */
  default void fatalError(ErrorReason reason) {}

  /** @param millis from the arrival of the oldest change in a live batch to the batch being written */
  default void fanoutLatency(long millis) {}

  /** @param delta subscriptions created (positive) or ended (negative) */
  default void subscriptionsChanged(int delta) {}

  /** @param how the way an open session ended */
  default void sessionEnded(SessionEnd how) {}
}
