package dev.presence.server.fanout;

import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.internal.Metrics;
import dev.presence.server.session.SessionEnd;

/** Counts what a cohort's shared outbox does once for each of its members, so the totals are as without it. */
final class RepeatedMetrics implements Metrics {
  private final Metrics target;
  int copies = 1;

  RepeatedMetrics(Metrics target) {
    this.target = target;
  }

  @Override
  public void updateIn(boolean clear) {
    target.updateIn(clear);
  }

  @Override
  public void eventsOut(boolean tagged, int count) {
    target.eventsOut(tagged, count * copies);
  }

  @Override
  public void coalesced(CoalesceStage stage) {
    for (int i = 0; i < copies; i++) {
      target.coalesced(stage);
    }
  }

  @Override
  public void nullOut(NullReason reason) {
    for (int i = 0; i < copies; i++) {
      target.nullOut(reason);
    }
  }

  @Override
  public void protocolError(ErrorReason reason) {
    target.protocolError(reason);
  }

  @Override
  public void fatalError(ErrorReason reason) {
    target.fatalError(reason);
  }

  @Override
  public void fanoutLatency(long millis) {
    for (int i = 0; i < copies; i++) {
      target.fanoutLatency(millis);
    }
  }

  @Override
  public void subscriptionsChanged(int delta) {
    target.subscriptionsChanged(delta);
  }

  @Override
  public void sessionEnded(SessionEnd how) {
    target.sessionEnded(how);
  }
}
