package dev.presence.conformance.client.cases;

import com.google.protobuf.Struct;
import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Follow;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.protocol.v1.Ack;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** SPEC §9: which of the SDK's syncs a live or tagged event reaches. */
final class RoutingCases {

  private RoutingCases() {}

  static List<ClientCase> all() {
    return List.of(
        ClientCase.checks("PRS-EVT-3", "a live event skips a sync whose snapshot_complete has not arrived",
            "A client MUST apply a live event to every subscription whose confirmed target covers the event's user, "
                + "and to no other subscription.",
            "before the first one it has none, so it receives no live events.")
            .by(RoutingCases::unconfirmedSubscription),
        ClientCase.checks("PRS-EVT-3", "'following' covers a user only once the follow's ack has arrived",
            "A client MUST apply a live event to every subscription whose confirmed target covers the event's user, "
                + "and to no other subscription.",
            "Coverage of `followed_users` uses the confirmed follow set: follows and unfollows whose `ack` has"
                + " arrived (§10).")
            .by(RoutingCases::unconfirmedFollow),
        ClientCase.checks("PRS-EVT-4", "a tagged event reaches the named sync only, even outside its target",
            "A client MUST apply a tagged event to exactly the subscriptions it names that it still holds, "
                + "whatever their targets.")
            .by(RoutingCases::taggedToNamed),
        ClientCase.checks("PRS-EVT-4", "a tagged event naming an ended sync reaches no callback",
            "A client MUST apply a tagged event to exactly the subscriptions it names that it still holds, "
                + "whatever their targets.")
            .by(RoutingCases::taggedToEnded),
        ClientCase.checks("PRS-EVT-8", "a live or tagged null about a user never seen reaches no callback",
            "A client MUST apply a null, live or tagged, only to subscriptions that hold a non-null state for "
                + "that user, so that an application callback never sees a null for a user it never saw")
            .by(RoutingCases::nullForUnseenUser),
        ClientCase.checks("PRS-EVT-8", "two nulls in a row for one user reach the callback once",
            "A client MUST apply a null, live or tagged, only to subscriptions that hold a non-null state for "
                + "that user", "nor two nulls in a row for one user.")
            .by(RoutingCases::twoNullsInARow));
  }

  private static void unconfirmedSubscription(ClientProbe p) throws InterruptedException {
    p.room().set("other", p.state("s1"));
    p.connect();
    int start = p.mark();
    p.syncAll("first");
    p.awaitChange(start, "first", c -> c.getUserId().equals("other"), "the snapshot of sync first");
    p.autopilot().holdSnapshotComplete(true);
    p.syncAll("second");
    // Once the kit holds the second subscription, its snapshot is out and its snapshot_complete held.
    KitCall call = p.lastCall();
    CallFacts.awaitServerHolds(p, call, CallFacts.awaitSubscriptionId(p, call, 2, "sync second"));
    int live = p.mark();
    p.room().set("other", p.state("s2"));
    p.awaitChange(live, "first", c -> c.getUserId().equals("other") && shows(c, "s2"),
        "the live state s2 on sync first, which is complete");
    p.autopilot().holdSnapshotComplete(false);
    p.autopilot().releaseSnapshotCompletes();
    p.room().set("other", p.state("s3"));
    // s3 was sent after the released snapshot_complete; it reaching second proves s2 came and went before it.
    p.awaitChange(live, "second", c -> c.getUserId().equals("other") && shows(c, "s3"),
        "the live state s3 on sync second, after its snapshot_complete");
    for (Change c : p.changes("second")) {
      if (c.getUserId().equals("other") && shows(c, "s2")) {
        throw p.failure("sync second got the live state s2, which came before its snapshot_complete");
      }
    }
  }

  private static void unconfirmedFollow(ClientProbe p) throws InterruptedException {
    p.room().set("friend", p.state("f1"));
    KitCall call = p.connect();
    int start = p.mark();
    p.syncFollowing("following");
    p.syncAll("all");
    // The subscribes are answered in order, so the '*' snapshot arriving means 'following' is complete too.
    p.awaitChange(start, "all", c -> c.getUserId().equals("friend"), "the snapshot of sync all");
    p.autopilot().answerFollows(false);
    CompletableFuture<Result> follow = p.sdk().submit(Command.newBuilder()
        .setFollow(Follow.newBuilder().setUserId("friend")));
    Inbound frame = call.awaitInbound(ConnectRequest.FrameCase.FOLLOW, p.timing().requestTimeout())
        .orElseThrow(() -> p.failure("the SDK sent no follow for friend"));
    int pending = p.mark();
    p.room().set("friend", p.state("f2"));
    p.awaitChange(pending, "all", c -> c.getUserId().equals("friend") && shows(c, "f2"),
        "the live state f2 on sync all");
    // The ack alone, without the tagged event a server sends with it, so that only live events follow.
    call.send(ConnectResponse.newBuilder()
        .setAck(Ack.newBuilder().setRequestId(frame.frame().orElseThrow().getRequestId())).build());
    settled(p, follow);
    p.room().set("friend", p.state("f3"));
    p.awaitChange(pending, "following", c -> c.getUserId().equals("friend") && shows(c, "f3"),
        "the live state f3 on sync following, after the follow's ack");
    for (Change c : p.changes("following")) {
      if (shows(c, "f2")) {
        throw p.failure("sync following got the live state f2 of friend before the follow's ack arrived");
      }
    }
  }

  private static void taggedToNamed(ClientProbe p) throws InterruptedException {
    p.room().set("x", p.state("x0"));
    KitCall call = p.connect();
    int start = p.mark();
    p.syncUser("a", "nobody");
    p.syncAll("b");
    String a = CallFacts.awaitSubscriptionId(p, call, 1, "sync a");
    String b = CallFacts.awaitSubscriptionId(p, call, 2, "sync b");
    p.awaitChange(start, "b", c -> c.getUserId().equals("x"), "the snapshot of sync b");
    int tagged = p.mark();
    call.send(tagged("x", p.state("t1"), a));
    call.send(tagged("x", p.state("t2"), b));
    p.awaitChange(tagged, "a", c -> c.getUserId().equals("x") && shows(c, "t1"),
        "state t1 of user x on sync a, whose event named a although a targets user nobody");
    p.awaitChange(tagged, "b", c -> c.getUserId().equals("x") && shows(c, "t2"), "state t2 on sync b");
    int end = p.mark();
    expectOnly(p, tagged, end, "a", "t1");
    expectOnly(p, tagged, end, "b", "t2");
  }

  private static void taggedToEnded(ClientProbe p) throws InterruptedException {
    p.room().set("x", p.state("x0"));
    KitCall call = p.connect();
    int start = p.mark();
    p.syncAll("a");
    p.syncAll("b");
    String a = CallFacts.awaitSubscriptionId(p, call, 1, "sync a");
    String b = CallFacts.awaitSubscriptionId(p, call, 2, "sync b");
    p.awaitChange(start, "a", c -> c.getUserId().equals("x"), "the snapshot of sync a");
    p.awaitChange(start, "b", c -> c.getUserId().equals("x"), "the snapshot of sync b");
    p.unsync("a");
    call.awaitInbound(in -> in.decoded() && in.kind() == ConnectRequest.FrameCase.UNSUBSCRIBE,
        p.timing().requestTimeout());
    int tagged = p.mark();
    call.send(tagged("x", p.state("gone"), a));
    // Tagged events are applied in order: once b has t2, the event naming a alone has been dealt with.
    call.send(tagged("x", p.state("t2"), b));
    p.awaitChange(tagged, "b", c -> c.getUserId().equals("x") && shows(c, "t2"), "state t2 on sync b");
    CallFacts.changes(p, tagged, p.mark(), "a").stream().findFirst().ifPresent(c -> {
      throw p.failure("ended sync a was called with " + c.getUserId() + " = " + CallFacts.shown(c));
    });
    expectOnly(p, tagged, p.mark(), "b", "t2");
  }

  private static void nullForUnseenUser(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    int start = p.mark();
    p.syncAll("all");
    String id = CallFacts.awaitSubscriptionId(p, call, 1, "sync all");
    p.room().set("barrier1", p.state("b1"));
    p.awaitChange(start, "all", c -> c.getUserId().equals("barrier1"), "the live state of user barrier1");
    int nulls = p.mark();
    call.send(nullEvent("ghost", NullReason.NULL_REASON_LEFT));
    call.send(ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addEvents(PresenceEvent
        .newBuilder().setUserId("phantom").setNullReason(NullReason.NULL_REASON_OUT_OF_SCOPE)
        .addSubscriptionIds(id))).build());
    p.room().set("barrier2", p.state("b2"));
    p.awaitChange(nulls, "all", c -> c.getUserId().equals("barrier2"), "the live state of user barrier2");
    for (Change c : CallFacts.changes(p, nulls, p.mark(), "all")) {
      if (!c.hasState()) {
        throw p.failure("sync all was called with a null for " + c.getUserId() + ", whom it never saw");
      }
    }
  }

  private static void twoNullsInARow(ClientProbe p) throws InterruptedException {
    p.room().set("x", p.state("x1"));
    p.room().set("y", p.state("y1"));
    KitCall call = p.connect();
    int start = p.mark();
    p.syncAll("all");
    String id = CallFacts.awaitSubscriptionId(p, call, 1, "sync all");
    p.awaitChange(start, "all", c -> c.getUserId().equals("x"), "the snapshot's state of user x");
    p.awaitChange(start, "all", c -> c.getUserId().equals("y"), "the snapshot's state of user y");
    int nulls = p.mark();
    // Two live nulls about x, then a live and a tagged null about y.
    call.send(nullEvent("x", NullReason.NULL_REASON_CLEARED));
    call.send(nullEvent("x", NullReason.NULL_REASON_LEFT));
    call.send(nullEvent("y", NullReason.NULL_REASON_CLEARED));
    call.send(ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addEvents(PresenceEvent
        .newBuilder().setUserId("y").setNullReason(NullReason.NULL_REASON_OUT_OF_SCOPE)
        .addSubscriptionIds(id))).build());
    p.room().set("barrier", p.state("b"));
    p.awaitChange(nulls, "all", c -> c.getUserId().equals("barrier"), "the live state of user barrier");
    List<Change> seen = CallFacts.changes(p, nulls, p.mark(), "all");
    for (String user : List.of("x", "y")) {
      long n = seen.stream().filter(c -> c.getUserId().equals(user) && !c.hasState()).count();
      if (n != 1) {
        throw p.failure("sync all was called with " + n + " nulls for user " + user
            + " after two nulls in a row; expected exactly one");
      }
    }
  }

  private static void settled(ClientProbe p, CompletableFuture<Result> result) throws InterruptedException {
    try {
      Result r = result.get(p.timing().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (r.hasFailure()) {
        throw p.failure("follow failed although the kit acknowledged it: " + r.getFailure().getMessage());
      }
    } catch (ExecutionException | TimeoutException e) {
      throw p.failure("the follow's promise did not settle after its ack: " + e);
    }
  }

  private static void expectOnly(ClientProbe p, int from, int to, String sync, String label) {
    for (Change c : CallFacts.changes(p, from, to, sync)) {
      if (!shows(c, label)) {
        throw p.failure("sync " + sync + " was called with " + c.getUserId() + " = " + CallFacts.shown(c)
            + " from a tagged event that did not name it");
      }
    }
  }

  private static boolean shows(Change c, String label) {
    return c.hasState() && ClientProbe.label(c.getState()).equals(label);
  }

  private static ConnectResponse tagged(String user, Struct state, String subscriptionId) {
    return ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addEvents(PresenceEvent.newBuilder()
        .setUserId(user).setState(state).addSubscriptionIds(subscriptionId))).build();
  }

  private static ConnectResponse nullEvent(String user, NullReason reason) {
    return ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addEvents(PresenceEvent.newBuilder()
        .setUserId(user).setNullReason(reason))).build();
  }
}
