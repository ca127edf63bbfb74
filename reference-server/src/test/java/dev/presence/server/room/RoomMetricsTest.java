package dev.presence.server.room;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Metrics;
import dev.presence.server.session.SessionEnd;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What rooms report to {@link Metrics}, on the fake clock, so latencies are exact. */
class RoomMetricsTest {
  private static final int W = 50;

  /** Records every call. */
  private static final class Recording implements Metrics {
    final List<Long> latencies = new ArrayList<>();
    final Map<CoalesceStage, Integer> coalesced = new EnumMap<>(CoalesceStage.class);
    final Map<NullReason, Integer> nulls = new EnumMap<>(NullReason.class);
    final List<ErrorReason> protocolErrors = new ArrayList<>();
    int updates;
    int liveEvents;
    int subscriptions;

    @Override
    public void updateIn(boolean clear) {
      updates++;
    }

    @Override
    public void eventsOut(boolean tagged, int count) {
      if (!tagged) {
        liveEvents += count;
      }
    }

    @Override
    public void coalesced(CoalesceStage stage) {
      coalesced.merge(stage, 1, Integer::sum);
    }

    @Override
    public void nullOut(NullReason reason) {
      nulls.merge(reason, 1, Integer::sum);
    }

    @Override
    public void protocolError(ErrorReason reason) {
      protocolErrors.add(reason);
    }

    @Override
    public void fanoutLatency(long millis) {
      latencies.add(millis);
    }

    @Override
    public void subscriptionsChanged(int delta) {
      subscriptions += delta;
    }
  }

  private final Recording metrics = new Recording();
  private final RoomHarness h = new RoomHarness(ServerConfig.builder().port(0).throttleWindowMillis(W).build(), metrics);

  @Test
  @DisplayName("Fan-out latency runs from an update's arrival to its batch being written; a state replaced in the room is coalesced at ingress")
  void latencyAndIngressCoalescing() {
    RoomHarness.Client alice = h.open("r", "alice");
    RoomHarness.Client bob = h.open("r", "bob");
    bob.send(subscribe(1, "all", all()));
    assertThat(metrics.subscriptions).isEqualTo(1);

    alice.send(update(1));
    // Leading edge: written at once.
    assertThat(metrics.latencies).containsExactly(0L);
    h.time.advance(10);
    alice.send(update(2));
    h.time.advance(5);
    alice.send(update(3));
    // The window opens 50 ms after the first batch; the batch carries only x=3, which arrived at 15 ms.
    h.time.advance(W);
    assertThat(metrics.latencies).containsExactly(0L, 35L);
    assertThat(metrics.coalesced).containsEntry(Metrics.CoalesceStage.INGRESS, 1);
    assertThat(metrics.updates).isEqualTo(3);
    assertThat(metrics.liveEvents).isEqualTo(2);

    alice.end(SessionEnd.TRANSPORT_LOSS);
    h.time.advance(W);
    assertThat(metrics.nulls).containsEntry(NullReason.NULL_REASON_TIMED_OUT, 1);
    bob.end(SessionEnd.HALF_CLOSE);
    assertThat(metrics.subscriptions).isZero();
  }

  @Test
  @DisplayName("PRS-THR-9: an unwritable subscriber holds one pending event per user, coalescing the rest at the subscriber")
  void stalledSubscriberCoalesces() {
    List<RoomHarness.Client> users = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      users.add(h.open("r", "u" + i));
    }
    RoomHarness.Client bob = h.open("r", "bob");
    bob.send(subscribe(1, "all", all()));
    bob.call.ready = false;
    for (int round = 1; round <= 20; round++) {
      for (RoomHarness.Client u : users) {
        u.send(update(round));
      }
      h.time.advance(W);
    }
    assertThat(bob.session.outbox().pendingPresenceCount()).isEqualTo(5);
    assertThat(h.registry.rooms().get(0).pendingHighWater()).isEqualTo(5);
    // Every round after the first replaced each user's pending state.
    assertThat(metrics.coalesced).containsEntry(Metrics.CoalesceStage.SUBSCRIBER, 19 * 5);
    bob.becomeReady();
    h.time.advance(W);
    assertThat(bob.session.outbox().pendingPresenceCount()).isZero();
  }
}
