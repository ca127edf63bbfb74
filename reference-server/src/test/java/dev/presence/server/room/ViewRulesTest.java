package dev.presence.server.room;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.clear;
import static dev.presence.server.support.Frames.follow;
import static dev.presence.server.support.Frames.following;
import static dev.presence.server.support.Frames.state;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.unfollow;
import static dev.presence.server.support.Frames.unsubscribe;
import static dev.presence.server.support.Frames.update;
import static dev.presence.server.support.Frames.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.server.session.SessionEnd;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The view of a session on a user (SPEC §1.2) with several subscriptions: undetermined views (PRS-EVT-7),
 * scope changes while a leave null is owed (PRS-SUB-12) and unfollow (PRS-FOL-4), on a fake clock, W = 50 ms.
 * A {@link ClientModel} applies what bob receives as a conforming client would, so "no stale state, no
 * ghost, no double null" is checked on what each subscription ends up holding.
 */
class ViewRulesTest {
  private static final int W = 50;
  private final RoomHarness h = new RoomHarness();
  private final RoomHarness.Client alice = h.open("r", "alice");
  private final RoomHarness.Client bob = h.open("r", "bob");
  private final ClientModel model = new ClientModel();

  private void subscribeTracked(long requestId, String id, SyncTarget target) {
    model.subscribing(id, target);
    bob.send(subscribe(requestId, id, target));
    model.catchUp(bob.call);
  }

  private void unsubscribeTracked(long requestId, String id) {
    bob.send(unsubscribe(requestId, id));
    model.catchUp(bob.call);
    model.unsubscribed(id);
  }

  /** Alice's state s1 reaches bob live; the next live batch is then one window away. */
  private void aliceSetsDelivered(double x) {
    alice.send(update(x));
    model.catchUp(bob.call);
    assertThat(model.uselessNulls).isEmpty();
  }

  /** Alice's state reaches bob live, then her session ends within the window: bob is owed her leave null. */
  private void aliceDepartsWhileNullOwed(SessionEnd how) {
    aliceSetsDelivered(1);
    h.time.advance(5);
    alice.end(how);
  }

  /** A ('*') holds alice's x=1 live; her x=2 is still pending when B's snapshot carries it. */
  private void snapshotOfBCarriesPendingState() {
    subscribeTracked(1, "A", all());
    aliceSetsDelivered(1);
    h.time.advance(5);
    alice.send(update(2));
    subscribeTracked(2, "B", user("alice"));
  }

  private void nextWindow() {
    h.time.advance(W);
    model.catchUp(bob.call);
  }

  /** @return the frames bob receives while {@code action} runs */
  private List<ConnectResponse> bobReceives(Runnable action) {
    int seen = bob.call.sent.size();
    action.run();
    return bob.call.sent.subList(seen, bob.call.sent.size()).stream().map(FakeCall.Sent::frame).toList();
  }

  /** @return the frames bob receives from {@code action} on through the next window, applied to his model */
  private List<ConnectResponse> bobReceivesThroughNextWindow(Runnable action) {
    return bobReceives(() -> {
      action.run();
      nextWindow();
    });
  }

  private static PresenceEvent onlyEvent(ConnectResponse frame) {
    assertThat(frame.getPresence().getEventsList()).hasSize(1);
    return frame.getPresence().getEvents(0);
  }

  private void assertAAndBHoldAlice(double x) {
    assertThat(model.holding("A")).containsEntry("alice", state("x", x));
    assertThat(model.holding("B")).containsEntry("alice", state("x", x));
  }

  /** @param views {@code subscription/user}: each was cleared by exactly one null, and no null was useless */
  private void assertOneNullEach(String... views) {
    assertThat(model.nullsApplied).isEqualTo(Stream.of(views).collect(Collectors.toMap(v -> v, v -> 1)));
    assertThat(model.uselessNulls).isEmpty();
  }

  private void assertUnfollowGetsOnlyItsAck(long requestId, String userId) {
    assertThat(bobReceives(() -> bob.send(unfollow(requestId, userId)))).singleElement()
        .satisfies(f -> assertThat(f.getAck().getRequestId()).isEqualTo(requestId));
  }

  @Test
  @DisplayName("PRS-EVT-7: a snapshot carrying a pending state to a second subscription leaves the view undetermined; the first still gets the state live")
  void undeterminedViewDoesNotSuppress() {
    snapshotOfBCarriesPendingState();
    assertThat(model.holding("B")).containsEntry("alice", state("x", 2));
    assertThat(model.holding("A")).containsEntry("alice", state("x", 1));
    nextWindow();
    assertAAndBHoldAlice(2);
  }

  @Test
  @DisplayName("PRS-EVT-7: A->B->A within one window around a snapshot of B leaves no subscription stale")
  void backAndForthAroundSnapshot() {
    snapshotOfBCarriesPendingState();
    alice.send(update(1));
    nextWindow();
    assertAAndBHoldAlice(1);
  }

  @Test
  @DisplayName("PRS-EVT-7: A->B->A within one window against a determined view may be suppressed, and nothing is stale")
  void backAndForthSuppressed() {
    subscribeTracked(1, "A", all());
    subscribeTracked(2, "B", user("alice"));
    aliceSetsDelivered(1);
    assertThat(bobReceives(() -> {
      h.time.advance(5);
      alice.send(update(2));
      alice.send(update(1));
      h.time.advance(2 * W);
    })).isEmpty();
    assertAAndBHoldAlice(1);
  }

  @Test
  @DisplayName("PRS-SUB-12: unsubscribe while a leave null is owed: tagged OUT_OF_SCOPE for it, and the live null still reaches the other covering subscription")
  void unsubscribeKeepsOwedNullForOtherSubscription() {
    subscribeTracked(1, "A", all());
    subscribeTracked(2, "B", user("alice"));
    aliceDepartsWhileNullOwed(SessionEnd.HALF_CLOSE);
    List<ConnectResponse> frames = bobReceivesThroughNextWindow(() -> unsubscribeTracked(3, "B"));
    assertThat(frames).hasSize(4);
    assertThat(onlyEvent(frames.get(0)).getSubscriptionIdsList()).containsExactly("B");
    assertThat(onlyEvent(frames.get(0)).getNullReason()).isEqualTo(NullReason.NULL_REASON_OUT_OF_SCOPE);
    assertThat(frames.get(1).getAck().getRequestId()).isEqualTo(3);
    assertThat(onlyEvent(frames.get(2)).getSubscriptionIdsList()).isEmpty();
    assertThat(onlyEvent(frames.get(2)).getNullReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
    assertThat(frames.get(3).getMemberLeft().getUserId()).isEqualTo("alice");
    assertOneNullEach("A/alice", "B/alice");
  }

  @Test
  @DisplayName("PRS-SUB-12: unsubscribe of the last subscription covering a departed user drops the owed live null")
  void unsubscribeDropsOwedNull() {
    subscribeTracked(1, "A", all());
    aliceDepartsWhileNullOwed(SessionEnd.CANCEL);
    List<ConnectResponse> frames = bobReceivesThroughNextWindow(() -> unsubscribeTracked(3, "A"));
    assertThat(frames).hasSize(3);
    assertThat(onlyEvent(frames.get(0)).getNullReason()).isEqualTo(NullReason.NULL_REASON_OUT_OF_SCOPE);
    assertThat(frames.get(1).hasAck()).isTrue();
    assertThat(frames.get(2).getMemberLeft().getUserId()).isEqualTo("alice");
    assertOneNullEach("A/alice");
  }

  @Test
  @DisplayName("PRS-SUB-12: a retarget while a leave null is owed waits for the null and member_left; every subscription gets exactly one null")
  void retargetAfterOwedLeaveNull() {
    subscribeTracked(1, "A", all());
    subscribeTracked(2, "B", user("alice"));
    aliceDepartsWhileNullOwed(SessionEnd.HALF_CLOSE);
    List<ConnectResponse> frames = bobReceivesThroughNextWindow(() -> subscribeTracked(3, "B", user("carol")));
    assertThat(frames).hasSize(3);
    assertThat(onlyEvent(frames.get(0)).getNullReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
    assertThat(frames.get(1).hasMemberLeft()).isTrue();
    assertThat(frames.get(2).getSnapshotComplete().getRequestId()).isEqualTo(3);
    assertOneNullEach("A/alice", "B/alice");
  }

  @Test
  @DisplayName("PRS-SUB-12/PRS-SUB-6: a retarget while a null is owed gets its tagged null; the live null stays owed only while another subscription covers the user")
  void retargetWhileNullOwed() {
    subscribeTracked(1, "A", all());
    subscribeTracked(2, "B", user("alice"));
    subscribeTracked(3, "C", user("alice"));
    aliceSetsDelivered(1);
    h.time.advance(5);
    alice.send(clear());
    subscribeTracked(4, "B", user("carol"));
    subscribeTracked(5, "C", user("carol"));
    model.unsubscribed("A");
    bob.send(unsubscribe(6, "A"));
    model.catchUp(bob.call);
    h.time.advance(2 * W);
    model.catchUp(bob.call);
    assertOneNullEach("A/alice", "B/alice", "C/alice");
    assertThat(bob.call.presenceFrames().stream().flatMap(s -> s.frame().getPresence().getEventsList().stream())
        .filter(e -> !e.hasState() && e.getSubscriptionIdsCount() == 0)).isEmpty();
  }

  @Test
  @DisplayName("PRS-FOL-4: unfollow with followed_users subscriptions and a non-null view: one OUT_OF_SCOPE null tagged with them, before the ack")
  void unfollowWithFollowedSubscriptions() {
    aliceSetsDelivered(1);
    bob.send(subscribe(1, "F1", following()));
    bob.send(subscribe(2, "F2", following()));
    bob.send(follow(3, "alice"));
    List<ConnectResponse> frames = bobReceives(() -> bob.send(unfollow(4, "alice")));
    assertThat(frames).hasSize(2);
    PresenceEvent e = onlyEvent(frames.get(0));
    assertThat(e.getNullReason()).isEqualTo(NullReason.NULL_REASON_OUT_OF_SCOPE);
    assertThat(e.getSubscriptionIdsList()).containsExactly("F1", "F2");
    assertThat(frames.get(1).getAck().getRequestId()).isEqualTo(4);
  }

  @Test
  @DisplayName("PRS-FOL-4: no null without followed_users subscriptions, nor with a null view")
  void unfollowWithoutConditionSendsOnlyAck() {
    subscribeTracked(1, "A", all());
    aliceSetsDelivered(1);
    bob.send(follow(2, "alice"));
    assertUnfollowGetsOnlyItsAck(3, "alice");

    bob.send(subscribe(4, "F", following()));
    bob.send(follow(5, "carol"));
    assertUnfollowGetsOnlyItsAck(6, "carol");
  }

  @Test
  @DisplayName("PRS-FOL-4/PRS-SUB-12: unfollowing a departed user whose null is owed: the tagged null, and no live null after it")
  void unfollowDepartedUser() {
    model.followed("alice");
    subscribeTracked(1, "F", following());
    bob.send(follow(2, "alice"));
    aliceDepartsWhileNullOwed(SessionEnd.CANCEL);
    List<ConnectResponse> frames = bobReceivesThroughNextWindow(() -> bob.send(unfollow(3, "alice")));
    assertThat(frames).hasSize(3);
    assertThat(onlyEvent(frames.get(0)).getSubscriptionIdsList()).containsExactly("F");
    assertThat(frames.get(1).hasAck()).isTrue();
    assertThat(frames.get(2).hasMemberLeft()).isTrue();
    assertOneNullEach("F/alice");
  }
}
