package dev.presence.conformance.client.cases;

import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.adapter.v1.MemberChange;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.SdkFeature;
import dev.presence.conformance.client.adapter.Timed;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.directed.CaseFailure;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Subscribe;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** SPEC §15: what the SDK restores and reports when it opens a new session after losing one. */
final class ReconnectCases {

  /** The SDK's own user, as the kit's server names every session; the comparisons leave it out. */
  private static final String SELF = "sdk-user";

  private ReconnectCases() {}

  static List<ClientCase> all() {
    return List.of(
        ClientCase.checks("PRS-RCN-2", "after a reset: restore, and left/cleared/changed/unchanged users compared",
            "After reconnecting, a client MUST open the session again, re-send its latest state, restore its "
                + "follows and subscriptions,",
            "it MUST report a null for a user it held who is absent from the new snapshot, a state for a user "
                + "whose state differs, and nothing for a user whose state is unchanged.",
            "The null's reason is `CLEARED` when the user is among the new `Opened.members`, and `LEFT` otherwise.")
            .by(ReconnectCases::snapshotComparison),
        ClientCase.checks("PRS-RCN-8", "after a reset: latest state, then confirmed follows, then subscriptions",
            "After `open` on a replacing session, a client MUST send, in this order: `update_state` with its "
                + "latest state when it has one; a `follow` for every user in its confirmed follow set; a "
                + "`subscribe` for every subscription, with the same `subscription_id` and target.")
            .by(ReconnectCases::restoreOrder),
        ClientCase.checks("PRS-RCN-9", "after a reset: a gone member left, a new one joined, the others nothing",
            "A client MUST compare the new `Opened.members` with the members it has shown the application: it "
                + "MUST report a user who is gone as having left (reason `LEFT`), a new user as joined, and nothing "
                + "for a user present in both.")
            .by(ReconnectCases::memberComparison),
        ClientCase.checks("PRS-RCN-7",
            "CREDENTIALS_EXPIRED twice: at once (the second timed), with the next token, nothing reported",
            "When a session ends with `CREDENTIALS_EXPIRED`, a client MUST open a new one at once with fresh "
                + "credentials, without backoff, and MUST NOT report the end to the application unless that open "
                + "fails.")
            .by(ReconnectCases::credentialsExpired),
        ClientCase.checks("PRS-RCN-6", "a JWT's exp: second session before expiry, restored, leave after its answer",
            "A client that knows when its credentials expire (for example from a token's `exp` claim) SHOULD "
                + "replace its session before they do, make-before-break:",
            "it opens a second session with fresh credentials, restores its state, follows and subscriptions on it "
                + "(PRS-RCN-8), moves the application to it with the comparison of PRS-RCN-2, and then sends "
                + "`leave` on the old session.",
            "the client sends that `leave` only after an answer on the new session to a frame sent after its "
                + "restore (a `pong`, or the last `snapshot_complete`) shows the server has processed the restored "
                + "state;")
            .by(MakeBeforeBreak::run));
  }

  private static void snapshotComparison(ClientProbe p) throws InterruptedException {
    for (String u : List.of("A", "B", "C", "D")) {
      p.room().set(u, p.state(u.toLowerCase() + "1"));
    }
    KitCall old = p.connect();
    Restorable before = Restorable.setUp(p, old, "C");
    int start = p.mark();
    KitCall next = Reopen.afterReset(p, () -> {
      p.room().leave("A", NullReason.NULL_REASON_LEFT);
      p.room().clear("B");
      p.room().set("C", p.state("c2"));
    });
    p.awaitChange(start, "all", c -> c.getUserId().equals("A") && !c.hasState(), "a null for A, who left");
    p.awaitChange(start, "all", c -> c.getUserId().equals("B") && !c.hasState(), "a null for B, who cleared");
    p.awaitChange(start, "all", c -> c.getUserId().equals("C") && c.hasState()
        && ClientProbe.label(c.getState()).equals("c2"), "state c2 for C on sync all");
    p.awaitChange(start, "fol", c -> c.getUserId().equals("C") && c.hasState()
        && ClientProbe.label(c.getState()).equals("c2"), "state c2 for C on sync fol");
    int barrier = p.mark();
    p.room().set("E", p.state("e1"));
    p.awaitChange(barrier, "all", c -> c.getUserId().equals("E"), "the live state of E, set after the reconnect");
    int end = p.mark();
    expectChanges(p, start, end, "all", Map.of("A", "null LEFT", "B", "null CLEARED", "C", "c2", "E", "e1"));
    expectChanges(p, start, end, "fol", Map.of("C", "c2"));
    before.expectRestoredOn(p, next);
  }

  private static void restoreOrder(ClientProbe p) throws InterruptedException {
    for (String u : List.of("X", "Y", "Z")) {
      p.room().set(u, p.state(u.toLowerCase()));
    }
    KitCall old = p.connect();
    Restorable before = Restorable.setUp(p, old, "X", "Y");
    KitCall next = Reopen.afterReset(p, () -> { });
    before.awaitSubscribes(p, next);
    List<ConnectRequest> restore = new ArrayList<>();
    for (Inbound in : next.inbound()) {
      in.frame().filter(f -> f.getFrameCase() != ConnectRequest.FrameCase.OPEN
          && f.getFrameCase() != ConnectRequest.FrameCase.PING
          && f.getFrameCase() != ConnectRequest.FrameCase.PONG).ifPresent(restore::add);
    }
    List<String> kinds = restore.stream().map(f -> f.getFrameCase().name().toLowerCase()).toList();
    int follows = before.follows().size();
    int subscribes = before.subscribes().size();
    if (restore.size() < 1 + follows + subscribes) {
      throw p.failure("after open the SDK sent " + kinds + "; expected update_state, " + follows + " follow and "
          + subscribes + " subscribe frames");
    }
    ConnectRequest first = restore.get(0);
    if (!first.hasUpdateState() || !ClientProbe.label(first.getUpdateState().getState()).equals(before.latest())) {
      throw p.failure("after open the SDK sent " + kinds + "; the first must be update_state with its latest "
          + "state " + before.latest());
    }
    Set<String> followed = new HashSet<>();
    for (ConnectRequest f : restore.subList(1, 1 + follows)) {
      if (!f.hasFollow()) {
        throw p.failure("after open the SDK sent " + kinds + "; expected " + follows + " follow frames after "
            + "update_state, before any subscribe");
      }
      followed.add(f.getFollow().getUserId());
    }
    if (!followed.equals(new HashSet<>(before.follows()))) {
      throw p.failure("the SDK restored follows of " + followed + "; its confirmed follow set is "
          + before.follows());
    }
    Set<Subscribe> subscribed = new HashSet<>();
    for (ConnectRequest f : restore.subList(1 + follows, 1 + follows + subscribes)) {
      if (!f.hasSubscribe()) {
        throw p.failure("after open the SDK sent " + kinds + "; expected " + subscribes + " subscribe frames "
            + "after the follows");
      }
      subscribed.add(f.getSubscribe());
    }
    if (!subscribed.equals(new HashSet<>(before.subscribes()))) {
      throw p.failure("the SDK restored the subscriptions " + subscribed + "; it held " + before.subscribes());
    }
  }

  private static void memberComparison(ClientProbe p) throws InterruptedException {
    p.requireSupport(SdkFeature.MEMBERS);
    for (String u : List.of("A", "B")) {
      p.room().join(u);
    }
    int initial = p.mark();
    p.connect();
    // Whatever the SDK reports of the first opened's members comes before this join.
    p.room().join("K");
    p.awaitReport(initial, r -> isMember(r, "K", true), "member K joined");
    int start = p.mark();
    Reopen.afterReset(p, () -> {
      // The SDK never hears why A went; from the members list alone it can only say LEFT.
      p.room().leave("A", NullReason.NULL_REASON_TIMED_OUT);
      p.room().join("C");
    });
    p.awaitReport(start, r -> isMember(r, "A", false), "member A reported as left");
    p.awaitReport(start, r -> isMember(r, "C", true), "member C reported as joined");
    int barrier = p.mark();
    p.room().join("D");
    p.awaitReport(barrier, r -> isMember(r, "D", true), "member D joined after the reconnect");
    List<MemberChange> seen = new ArrayList<>();
    for (Timed t : p.reportsSince(start)) {
      if (t.report().hasMember() && !t.report().getMember().getUserId().equals(SELF)) {
        seen.add(t.report().getMember());
      }
    }
    List<String> got = seen.stream().map(m -> m.getUserId() + (m.getJoined() ? " joined" : " left "
        + m.getReason())).toList();
    List<String> allowed = List.of("A left LEFT", "A left ", "C joined", "D joined");
    if (got.size() != 3 || !got.stream().allMatch(allowed::contains)) {
      throw p.failure("after the reconnect the SDK reported the members " + got + "; expected A left (reason "
          + "LEFT), C joined, and then D joined, nothing about B and K who stayed");
    }
  }

  private static void credentialsExpired(ClientProbe p) throws InterruptedException {
    String later = "kit-later-token";
    KitCall call = p.connect("kit-first-token", "kit-fresh-token", later);
    CallFacts.inUse(p);
    int mark = p.mark();
    KitCall old = RetryWatch.rehearse(p, call, c -> c.end(Status.Code.UNAUTHENTICATED,
        ErrorReason.ERROR_REASON_CREDENTIALS_EXPIRED, "the kit expired them"));
    old.end(Status.Code.UNAUTHENTICATED, ErrorReason.ERROR_REASON_CREDENTIALS_EXPIRED, "the kit expired them");
    long ended = old.endedNanos().orElseThrow();
    KitCall next = p.awaitCall(old.index() + 1, p.timing().requestTimeout(),
        "a new session after CREDENTIALS_EXPIRED");
    long arrived = CallFacts.openArrival(p, next);
    String auth = next.authorization().orElse("");
    if (!auth.contains(later)) {
      throw p.failure("the new session's authorization is '" + auth + "'; expected the token source's next "
          + "token " + later + ", fresh credentials");
    }
    long late = arrived - ended - p.timing().slackMillis() * 1_000_000L;
    if (late > 0) {
      throw new CaseFailure("the new session came " + (arrived - ended) / 1_000_000 + " ms after "
          + "CREDENTIALS_EXPIRED; at once means within " + p.timing().slackMillis() + " ms",
          new TimingMiss(late, ended, arrived));
    }
    int barrier = p.mark();
    p.room().set("peer", p.state("last"));
    p.awaitChange(barrier, "in-use", c -> c.getUserId().equals("peer") && c.hasState()
        && ClientProbe.label(c.getState()).equals("last"), "a state set after the new session opened");
    CallFacts.failureReport(p, mark).ifPresent(t -> {
      throw p.failure("the SDK told the application of an end by CREDENTIALS_EXPIRED although the new open "
          + "succeeded: " + CallFacts.describe(t.report()));
    });
  }

  private static boolean isMember(Report r, String user, boolean joined) {
    return r.hasMember() && r.getMember().getUserId().equals(user) && r.getMember().getJoined() == joined;
  }

  /**
   * Fails unless one sync's changes between two marks are one per listed user, as listed: a state's label, or
   * "null REASON" where an SDK that gives no reason may show "null".
   */
  private static void expectChanges(ClientProbe p, int from, int to, String sync, Map<String, String> expected) {
    Map<String, List<String>> got = new TreeMap<>();
    for (Change c : CallFacts.changes(p, from, to, sync)) {
      if (!c.getUserId().equals(SELF)) {
        String shown = c.hasState() ? ClientProbe.label(c.getState()) : ("null " + c.getNullReason()).strip();
        got.computeIfAbsent(c.getUserId(), k -> new ArrayList<>()).add(shown);
      }
    }
    boolean ok = got.keySet().equals(expected.keySet());
    for (Map.Entry<String, String> e : expected.entrySet()) {
      List<String> shown = got.getOrDefault(e.getKey(), List.of());
      ok &= shown.size() == 1 && (shown.get(0).equals(e.getValue())
          || shown.get(0).equals("null") && e.getValue().startsWith("null "));
    }
    if (!ok) {
      throw p.failure("after the reconnect sync " + sync + " was told " + got + "; expected " + new TreeMap<>(
          expected) + " (one change each, nothing for users whose state did not change)");
    }
  }
}
