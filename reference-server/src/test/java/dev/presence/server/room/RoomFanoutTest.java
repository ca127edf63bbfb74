package dev.presence.server.room;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.clear;
import static dev.presence.server.support.Frames.state;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static dev.presence.server.support.Frames.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.session.SessionEnd;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Throttling, coalescing and fan-out of one room, on a fake clock (W = 50 ms). */
class RoomFanoutTest {
  private static final int W = 50;
  private final RoomHarness h = new RoomHarness();

  private RoomHarness.Client subscribedObserver(String room) {
    RoomHarness.Client b = h.open(room, "bob");
    b.send(subscribe(1, "everyone", all()));
    b.call.clear();
    return b;
  }

  private static List<PresenceEvent> events(FakeCall call) {
    return call.presenceFrames().stream().flatMap(s -> s.frame().getPresence().getEventsList().stream()).toList();
  }

  @Test
  @DisplayName("PRS-THR-2/PRS-THR-3: leading edge at once, then at most one live event per window, coalesced to the latest")
  void leadingEdgeThenOnePerWindow() {
    RoomHarness.Client a = h.open("r", "alice");
    RoomHarness.Client b = subscribedObserver("r");
    a.send(update(1));
    assertThat(events(b.call)).extracting(e -> e.getState().getFieldsOrThrow("x").getNumberValue()).containsExactly(1.0);

    h.time.advance(10);
    a.send(update(2));
    a.send(update(3));
    a.send(update(4));
    h.time.advance(W - 11);
    assertThat(events(b.call)).hasSize(1);
    h.time.advance(1);
    assertThat(events(b.call)).extracting(e -> e.getState().getFieldsOrThrow("x").getNumberValue())
        .containsExactly(1.0, 4.0);
    List<FakeCall.Sent> frames = b.call.presenceFrames();
    assertThat(frames.get(1).at() - frames.get(0).at()).isGreaterThanOrEqualTo(W);
  }

  @Test
  @DisplayName("PRS-THR-2: a sustained burst never yields two live events for one pair closer than W")
  void sustainedBurstRespectsWindow() {
    RoomHarness.Client a = h.open("r", "alice");
    RoomHarness.Client b = subscribedObserver("r");
    for (int i = 0; i < 500; i++) {
      a.send(update(i));
      h.time.advance(3);
    }
    h.time.advance(W);
    List<FakeCall.Sent> frames = b.call.presenceFrames();
    for (int i = 1; i < frames.size(); i++) {
      assertThat(frames.get(i).at() - frames.get(i - 1).at()).isGreaterThanOrEqualTo(W);
    }
    assertThat(frames.size()).isBetween(1500 / W - 1, 1500 / W + 2);
    List<PresenceEvent> ev = events(b.call);
    assertThat(ev.get(ev.size() - 1).getState().getFieldsOrThrow("x").getNumberValue()).isEqualTo(499.0);
    // PRS-THR-4: never out of order.
    List<Double> xs = ev.stream().map(e -> e.getState().getFieldsOrThrow("x").getNumberValue()).toList();
    assertThat(xs).isSorted();
  }

  @Test
  @DisplayName("PRS-THR-6: a clear replaces a pending state; the subscriber sees one null, never the superseded state")
  void nullReplacesPendingState() {
    RoomHarness.Client a = h.open("r", "alice");
    RoomHarness.Client b = subscribedObserver("r");
    a.send(update(1));
    h.time.advance(5);
    a.send(update(2));
    a.send(clear());
    h.time.advance(W);
    List<PresenceEvent> ev = events(b.call);
    assertThat(ev).hasSize(2);
    assertThat(ev.get(1).hasState()).isFalse();
    assertThat(ev.get(1).getNullReason()).isEqualTo(NullReason.NULL_REASON_CLEARED);
  }

  @Test
  @DisplayName("PRS-EVT-5: a state and its clear within one window reach a fresh subscriber as nothing at all")
  void noSpuriousNull() {
    RoomHarness.Client a = h.open("r", "alice");
    RoomHarness.Client b = subscribedObserver("r");
    a.send(update(1));
    h.time.advance(5);
    b.call.clear();
    a.send(update(2));
    h.time.advance(5);
    a.send(clear());
    h.time.advance(W);
    // b had seen state 1, so one null is owed and nothing else.
    assertThat(events(b.call)).hasSize(1);
    RoomHarness.Client c = h.open("r", "carol");
    c.send(subscribe(1, "everyone", all()));
    c.call.clear();
    a.send(update(3));
    h.time.advance(5);
    a.send(clear());
    h.time.advance(W);
    // c never saw alice's state delivered live before the clear coalesced it away... except the leading edge.
    List<PresenceEvent> cev = events(c.call);
    assertThat(cev.stream().filter(e -> !e.hasState()).count())
        .isEqualTo(cev.stream().filter(PresenceEvent::hasState).count());
  }

  @Test
  @DisplayName("PRS-THR-9: a stalled subscriber holds one pending event per user and gets the latest when writable")
  void stalledSubscriberIsBoundedAndCatchesUp() {
    RoomHarness.Client a = h.open("r", "alice");
    RoomHarness.Client c = h.open("r", "carol");
    RoomHarness.Client b = subscribedObserver("r");
    b.call.ready = false;
    for (int i = 0; i < 1000; i++) {
      a.send(update(i));
      c.send(update(-i));
      h.time.advance(7);
    }
    assertThat(b.call.sent).isEmpty();
    b.becomeReady();
    List<PresenceEvent> ev = events(b.call);
    assertThat(ev).hasSize(2);
    assertThat(ev).extracting(PresenceEvent::getUserId).containsExactly("alice", "carol");
    assertThat(ev.get(0).getState()).isEqualTo(state("x", 999));
    assertThat(ev.get(1).getState()).isEqualTo(state("x", -999));
  }

  @Test
  @DisplayName("PRS-THR-2: a flush on becoming writable still honours the window of the previous batch")
  void readinessFlushHonoursWindow() {
    RoomHarness.Client a = h.open("r", "alice");
    RoomHarness.Client b = subscribedObserver("r");
    a.send(update(1));
    b.call.ready = false;
    h.time.advance(10);
    a.send(update(2));
    h.time.advance(10);
    b.becomeReady();
    assertThat(b.call.presenceFrames()).hasSize(1);
    h.time.advance(W);
    List<FakeCall.Sent> frames = b.call.presenceFrames();
    assertThat(frames).hasSize(2);
    assertThat(frames.get(1).at() - frames.get(0).at()).isGreaterThanOrEqualTo(W);
  }

  @Test
  @DisplayName("Tagged snapshot events are exempt from the window (PRS-SUB-3)")
  void taggedEventsAreNotThrottled() {
    RoomHarness.Client a = h.open("r", "alice");
    RoomHarness.Client b = subscribedObserver("r");
    a.send(update(1));
    h.time.advance(1);
    b.send(subscribe(2, "only-alice", user("alice")));
    List<ConnectResponse> frames = b.call.sent.stream().map(FakeCall.Sent::frame).toList();
    assertThat(frames).hasSize(3);
    assertThat(frames.get(1).getPresence().getEvents(0).getSubscriptionIdsList()).containsExactly("only-alice");
    assertThat(frames.get(2).getSnapshotComplete().getRequestId()).isEqualTo(2);
  }

  @Test
  @DisplayName("Identical untagged batches are serialized once and the same bytes go to every subscriber")
  void identicalBatchesShareBytes() {
    RoomHarness.Client a = h.open("r", "alice");
    RoomHarness.Client b = subscribedObserver("r");
    RoomHarness.Client c = h.open("r", "carol");
    c.send(subscribe(1, "everyone", all()));
    RoomHarness.Client d = h.open("r", "dave");
    d.send(subscribe(1, "alice", user("alice")));
    h.time.advance(W);
    b.call.clear();
    c.call.clear();
    d.call.clear();
    a.send(update(7));
    assertThat(b.call.rawFrames).hasSize(1);
    assertThat(c.call.rawFrames).hasSize(1);
    assertThat(d.call.rawFrames).hasSize(1);
    assertThat(b.call.rawFrames.get(0)).isSameAs(c.call.rawFrames.get(0)).isSameAs(d.call.rawFrames.get(0));
  }

  @Test
  @DisplayName("PRS-MEM-2: a departing user's null precedes member_left even when the null had to wait for the window")
  void nullBeforeMemberLeft() {
    RoomHarness.Client a = h.open("r", "alice");
    RoomHarness.Client b = subscribedObserver("r");
    a.send(update(1));
    h.time.advance(5);
    a.end(SessionEnd.HALF_CLOSE);
    assertThat(b.call.sent).hasSize(1);
    h.time.advance(W);
    List<ConnectResponse> frames = b.call.sent.stream().map(FakeCall.Sent::frame).toList();
    assertThat(frames).hasSize(3);
    assertThat(frames.get(1).getPresence().getEvents(0).getNullReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
    assertThat(frames.get(2).getMemberLeft().getUserId()).isEqualTo("alice");
    assertThat(h.registry.roomCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("PRS-MEM-3: a subscribe waits for a pending member_joined so presence never precedes it")
  void subscribeWaitsForMemberJoined() {
    RoomHarness.Client b = h.open("r", "bob");
    h.time.advance(W);
    b.call.ready = false;
    b.call.clear();
    RoomHarness.Client a = h.open("r", "alice");
    a.send(update(1));
    b.send(subscribe(1, "everyone", all()));
    assertThat(b.call.sent).isEmpty();
    b.becomeReady();
    List<ConnectResponse> frames = b.call.sent.stream().map(FakeCall.Sent::frame).toList();
    assertThat(frames.get(0).hasMemberJoined()).isTrue();
    assertThat(frames.get(1).getPresence().getEvents(0).getSubscriptionIdsList()).containsExactly("everyone");
    assertThat(frames.get(2).hasSnapshotComplete()).isTrue();
  }

  @Test
  @DisplayName("Rooms are independent and an empty room is removed")
  void emptyRoomIsRemoved() {
    RoomHarness.Client a = h.open("r1", "alice");
    RoomHarness.Client b = h.open("r2", "bob");
    assertThat(h.registry.roomCount()).isEqualTo(2);
    a.end(SessionEnd.CANCEL);
    assertThat(h.registry.roomCount()).isEqualTo(1);
    b.end(SessionEnd.LEAVE);
    assertThat(h.registry.roomCount()).isZero();
    assertThat(h.registry.sessionCount()).isZero();
  }

  @Test
  @DisplayName("PRS-THR-9: a client that stops reading gets no further frames read until its call is writable again, and its session goes on")
  void inboundWaitsForWritability() {
    RoomHarness.Client a = h.open("r", "alice");
    int requested = a.call.requested;
    a.call.ready = false;
    a.send(update(1));
    assertThat(a.call.requested).isEqualTo(requested);
    h.time.advance(60_000);
    a.becomeReady();
    assertThat(a.call.requested).isEqualTo(requested + 1);
    assertThat(a.call.closedWith).isNull();
    assertThat(a.session.isEnded()).isFalse();
  }
}
