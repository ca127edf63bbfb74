package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.answer;
import static dev.presence.conformance.directed.Expect.awaitEvent;
import static dev.presence.conformance.directed.Expect.everyone;
import static dev.presence.conformance.directed.Expect.limit;
import static dev.presence.conformance.directed.Expect.marked;
import static dev.presence.conformance.directed.Expect.open;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Leave;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.SyncTarget;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Users leaving and coming back, Draft 2: PRS-SUB-12, PRS-MEM-5, PRS-MEM-6, PRS-END-6, PRS-END-7. */
final class DepartureCases {

  private static final int ATTEMPTS = 5;
  private static final int SNAPSHOT_ROUNDS = 6;

  private DepartureCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-SUB-12",
            "an unsubscribe removes a departed user from a subscription's scope, the server MUST deliver that "
                + "subscription's tagged OUT_OF_SCOPE null for the user as PRS-SUB-6 and PRS-SUB-7 say.",
            "otherwise the server MUST drop it",
            "Every subscription that held a state for the user so receives exactly one null, tagged or live.")
            .by(p -> unsubscribeWhileLeaveNullOwed(p, false)),
        DirectedCase.checks("PRS-SUB-12",
            "an unsubscribe removes a departed user from a subscription's scope, the server MUST deliver that "
                + "subscription's tagged OUT_OF_SCOPE null for the user as PRS-SUB-6 and PRS-SUB-7 say.",
            "The live null owed about that user MUST stay owed only while another subscription of the session "
                + "still covers the user",
            "Every subscription that held a state for the user so receives exactly one null, tagged or live.")
            .by(p -> unsubscribeWhileLeaveNullOwed(p, true)),
        DirectedCase.checks("PRS-MEM-5",
            "When a user's last session ends and the user opens a session again, every other session S MUST "
                + "receive, in this order: the null about the user if S is owed one, member_left, member_joined, "
                + "then the user's new presence as a live event if S's union scope covers the user.",
            "A leave's null MUST NOT be coalesced away by a state of the returning user")
            .by(DepartureCases::fastRejoinIsOrdered),
        DirectedCase.checks("PRS-MEM-6",
            "A snapshot MUST show the room at the instant the server processes the subscribe",
            "membership changes processed before that instant MUST be delivered before the first tagged event "
                + "it causes, and changes processed after it MUST be delivered after its snapshot_complete")
            .by(DepartureCases::membershipFallsOutsideSnapshots),
        DirectedCase.checks("PRS-END-6",
            "After leave, the server MUST end the call with OK",
            "It MUST NOT wait for another session's flow control, and MUST end the call within W plus 25 ms of "
                + "processing the leave.")
            .by(DepartureCases::leaveEndsPromptlyDespiteAStalledSubscriber),
        DirectedCase.checks("PRS-END-7",
            "The reason of member_left MUST say how the user's last session ended, mapped as in PRS-END-3, "
                + "whether or not the user had presence.")
            .by(DepartureCases::memberLeftReasonWithoutPresence));
  }

  private static void leave(Probe p, RawSession s) throws InterruptedException {
    int from = p.mark();
    s.send(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
    p.awaitEnd(s, from);
  }

  private static boolean liveNull(PresenceEvent e, String user) {
    return e.getUserId().equals(user) && !e.hasState() && e.getSubscriptionIdsCount() == 0;
  }

  /**
   * The leaver's null is owed while the throttle window after its last state runs, so the watcher unsubscribes
   * right after the leave commits. When the null still arrived first, the attempt proves nothing and is repeated.
   */
  private static void unsubscribeWhileLeaveNullOwed(Probe p, boolean stillCovered) throws InterruptedException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Joined watcher = p.join("watcher" + attempt);
      Joined leaver = p.join("l" + attempt);
      String user = leaver.opened().getSelf().getUserId();
      String all = "a" + attempt;
      answer(p, watcher.session(), AnswerCases.subscribe(100 + attempt, all, everyone()));
      if (stillCovered) {
        answer(p, watcher.session(), AnswerCases.subscribe(200 + attempt, "b" + attempt,
            SyncTarget.newBuilder().setUserId(user).build()));
      }
      int from = p.mark();
      Expect.send(leaver.session(), marked("leaving"));
      awaitEvent(p, watcher.session(), from, user, "the leaver's state");
      leave(p, leaver.session());
      answer(p, watcher.session(), AnswerCases.unsubscribe(300 + attempt, all));
      p.quietPeriod();
      List<ConnectResponse> got = p.receivedSince(watcher.session(), from);
      long unsubscribeId = 300 + attempt;
      int ack = indexOf(got, r -> r.hasAck() && r.getAck().getRequestId() == unsubscribeId);
      if (got.subList(0, ack).stream().anyMatch(r -> r.getPresence().getEventsList().stream()
          .anyMatch(e -> liveNull(e, user)))) {
        continue;
      }
      judgeNulls(got, ack, user, all, stillCovered);
      return;
    }
    throw new NotApplicable("in " + ATTEMPTS + " attempts the leave null always arrived before the unsubscribe was "
        + "answered; this machine is too slow for the advertised throttle window");
  }

  private static void judgeNulls(List<ConnectResponse> got, int ack, String user, String all,
      boolean stillCovered) {
    List<PresenceEvent> tagged = new ArrayList<>();
    List<PresenceEvent> live = new ArrayList<>();
    for (int i = 0; i < got.size(); i++) {
      for (PresenceEvent e : got.get(i).getPresence().getEventsList()) {
        if (!e.getUserId().equals(user) || e.hasState()) {
          continue;
        }
        if (e.getSubscriptionIdsCount() > 0) {
          if (i > ack || !e.getSubscriptionIdsList().equals(List.of(all))
              || e.getNullReason() != NullReason.NULL_REASON_OUT_OF_SCOPE) {
            throw new CaseFailure("unexpected tagged null " + e + (i > ack ? " after the ack" : ""));
          }
          tagged.add(e);
        } else {
          live.add(e);
        }
      }
    }
    String situation = stillCovered ? "while a user_id subscription still covers the departed user"
        : "with no other subscription covering the departed user";
    if (tagged.size() != 1) {
      throw new CaseFailure("unsubscribe " + situation + " should deliver one OUT_OF_SCOPE null tagged [" + all
          + "] before its ack; got " + tagged.size());
    }
    if (live.size() != (stillCovered ? 1 : 0)) {
      throw new CaseFailure("the owed leave null " + situation + " should be " + (stillCovered ? "delivered once"
          : "dropped") + "; " + live.size() + " live nulls arrived");
    }
  }

  private static int indexOf(List<ConnectResponse> frames, java.util.function.Predicate<ConnectResponse> match) {
    for (int i = 0; i < frames.size(); i++) {
      if (match.test(frames.get(i))) {
        return i;
      }
    }
    throw new CaseFailure("expected frame missing");
  }

  private static void fastRejoinIsOrdered(Probe p) throws InterruptedException {
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    Joined first = p.join("u1");
    String user = first.opened().getSelf().getUserId();
    int from = p.mark();
    Expect.send(first.session(), marked("before"));
    awaitEvent(p, watcher.session(), from, user, "the user's state");
    from = p.mark();
    leave(p, first.session());
    Joined again = p.join("u1");
    Expect.send(again.session(), marked("after"));
    p.await(watcher.session(), from, r -> r.getPresence().getEventsList().stream()
        .anyMatch(e -> e.getUserId().equals(user) && e.getState().equals(marked("after"))), "the rejoined state");
    List<String> seen = new ArrayList<>();
    List<Long> nanos = new ArrayList<>();
    for (Observation o : p.since(from)) {
      if (o instanceof Observation.Received r && r.session().equals(watcher.session().name())) {
        String what = aboutUser(r.frame(), user);
        if (!what.isEmpty()) {
          seen.add(what);
          nanos.add(o.nanos());
        }
      }
    }
    List<String> expected = List.of("null", "member_left", "member_joined", "state");
    if (!seen.equals(expected)) {
      throw new CaseFailure("after a leave and a fast rejoin the watcher should see " + expected + "; saw " + seen);
    }
    long window = limit(first.opened().getLimits().getThrottleWindowMillis());
    long gap = TimeUnit.NANOSECONDS.toMillis(nanos.get(3) - nanos.get(0));
    if (gap < window - p.timing().spacingToleranceMillis()) {
      long minimum = TimeUnit.MILLISECONDS.toNanos(window - p.timing().spacingToleranceMillis());
      throw new CaseFailure("the rejoined user's state arrived " + gap + " ms after the leave null; the window is "
          + window + " ms", new TimingMiss(minimum - (nanos.get(3) - nanos.get(0)),
              nanos.get(0) - TimeUnit.MILLISECONDS.toNanos(window), nanos.get(3)));
    }
  }

  private static String aboutUser(ConnectResponse r, String user) {
    if (r.hasMemberLeft() && r.getMemberLeft().getUserId().equals(user)) {
      return "member_left";
    }
    if (r.hasMemberJoined() && r.getMemberJoined().getUser().getUserId().equals(user)) {
      return "member_joined";
    }
    return r.getPresence().getEventsList().stream().filter(e -> e.getUserId().equals(user))
        .map(e -> e.hasState() ? "state" : "null").reduce((a, b) -> a + "," + b).orElse("");
  }

  /**
   * Each round, one user leaves, one joins with a pipelined state, and the watcher subscribes, all at once in
   * varying order, so the server's instant falls differently between them.
   */
  private static void membershipFallsOutsideSnapshots(Probe p) throws InterruptedException {
    Joined watcher = p.join("watcher");
    // The watcher's own state puts a tagged event in every snapshot, so a membership frame can land inside one
    // even when the joining user's state reaches the server after the subscribe.
    Expect.send(watcher.session(), marked("watcher"));
    Joined leaving = p.join("m0");
    Expect.send(leaving.session(), marked("m0"));
    // The pong follows the state, so the server holds m0's state before the first subscribe can reach it, as it
    // holds each later leaver's after a round; otherwise a snapshot without m0 would prove nothing.
    Expect.stillAlive(p, leaving.session());
    for (int round = 1; round <= SNAPSHOT_ROUNDS; round++) {
      String subscription = "r" + round;
      RawSession joining = p.start("m" + round);
      int from = p.mark();
      ConnectRequest subscribe = AnswerCases.subscribe(round, subscription, everyone());
      if (round % 2 == 0) {
        watcher.session().send(subscribe);
      }
      leaving.session().send(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
      joining.send(open(p.openFrame("m" + round)));
      Expect.send(joining, marked("m" + round));
      if (round % 2 == 1) {
        // Odd rounds: the server has processed both membership changes before the subscribe, so both must come
        // before the snapshot's first tagged event. Even rounds race the subscribe against them.
        p.awaitEnd(leaving.session(), from);
        p.await(joining, from, ConnectResponse::hasOpened, "opened");
        watcher.session().send(subscribe);
      }
      String joined = p.await(joining, from, ConnectResponse::hasOpened, "opened").getOpened().getSelf()
          .getUserId();
      p.await(watcher.session(), from, r -> r.hasSnapshotComplete()
          && r.getSnapshotComplete().getSubscriptionId().equals(subscription), "snapshot_complete");
      p.quietPeriod();
      judgeSnapshot(p.receivedSince(watcher.session(), from), subscription, joined, userOf(leaving));
      leaving = new Joined(joining, p.receivedSince(joining, from).get(0).getOpened());
    }
  }

  private static String userOf(Joined j) {
    return j.opened().getSelf().getUserId();
  }

  private static void judgeSnapshot(List<ConnectResponse> got, String subscription, String joined, String left) {
    int first = -1;
    int complete = -1;
    for (int i = 0; i < got.size(); i++) {
      if (first < 0 && got.get(i).getPresence().getEventsList().stream()
          .anyMatch(e -> e.getSubscriptionIdsList().contains(subscription))) {
        first = i;
      }
      if (got.get(i).hasSnapshotComplete() && got.get(i).getSnapshotComplete().getSubscriptionId()
          .equals(subscription)) {
        complete = i;
      }
    }
    int start = first < 0 ? complete : first;
    int joinedAt = -1;
    int leftAt = -1;
    for (int i = 0; i < got.size(); i++) {
      ConnectResponse r = got.get(i);
      if (r.hasMemberJoined() && r.getMemberJoined().getUser().getUserId().equals(joined)) {
        joinedAt = i;
      }
      if (r.hasMemberLeft() && r.getMemberLeft().getUserId().equals(left)) {
        leftAt = i;
      }
    }
    for (int at : new int[] {joinedAt, leftAt}) {
      if (at > start && at < complete) {
        throw new CaseFailure("a membership frame arrived inside snapshot " + subscription + ": "
            + got.get(at).getFrameCase());
      }
    }
    List<String> inSnapshot = new ArrayList<>();
    for (int i = Math.max(0, start); i < complete; i++) {
      got.get(i).getPresence().getEventsList().stream().filter(e -> e.getSubscriptionIdsList().contains(subscription)
          && e.hasState()).forEach(e -> inSnapshot.add(e.getUserId()));
    }
    if (joinedAt > complete && inSnapshot.contains(joined)) {
      throw new CaseFailure("snapshot " + subscription + " holds " + joined + ", whose member_joined came after it");
    }
    if (leftAt >= 0 && leftAt < start && inSnapshot.contains(left)) {
      throw new CaseFailure("snapshot " + subscription + " holds " + left + ", whose member_left came before it");
    }
    if (leftAt > complete && !inSnapshot.contains(left)) {
      throw new CaseFailure("snapshot " + subscription + " lacks " + left + ", still a member with a state then "
          + "(its member_left came after the snapshot)");
    }
  }

  private static void leaveEndsPromptlyDespiteAStalledSubscriber(Probe p) throws InterruptedException {
    Joined watcher = p.join("watcher");
    p.subscribeAll(watcher.session(), "w");
    long stallBytes = 2L << 20;
    Crowd crowd = Crowd.over(p, watcher.opened().getLimits(), stallBytes / Crowd.VOLUME_OVER_BOUND);
    Joined leaver = crowd.members().get(0);
    int stalled = p.mark();
    watcher.session().pauseReading();
    crowd.sendStates("a");
    crowd.sendStates("b");
    Expect.stillAlive(p, leaver.session());
    // Measured under the crowd's load, right before the leave, so a busy machine widens the bound, not the verdict.
    long before = p.roundTripMillis(leaver.session());
    int from = p.mark();
    leaver.session().send(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
    Observation.Ended ended = p.awaitEnd(leaver.session(), from);
    long sent = p.since(from).get(0).nanos();
    long took = TimeUnit.NANOSECONDS.toMillis(ended.nanos() - sent);
    long after = p.roundTripMillis(crowd.members().get(1).session());
    long window = limit(watcher.opened().getLimits().getThrottleWindowMillis());
    long bound = window + 25 + Math.max(before, after) + p.timing().slackMillis();
    watcher.session().resumeReading();
    if (ended.code() != Status.Code.OK) {
      throw new CaseFailure("leave with a stalled subscriber in the room ended " + ended.code() + ", not OK");
    }
    if (took > bound) {
      throw new CaseFailure("leave with a stalled subscriber in the room took " + took + " ms to end OK; the bound "
          + "is the window " + window + " + 25 ms + round trip " + Math.max(before, after) + " ms + slack "
          + p.timing().slackMillis() + " ms", new TimingMiss(
              ended.nanos() - sent - TimeUnit.MILLISECONDS.toNanos(bound), sent, ended.nanos()));
    }
    // The watcher takes everything owed to it before the case ends and cancels it: a gRPC server may log a cancel
    // that finds writes still queued as a stream error, with a stack trace, though nothing went wrong.
    crowd.awaitRound(p, watcher.session(), stalled, "b", 1);
    String left = leaver.opened().getSelf().getUserId();
    p.await(watcher.session(), stalled, r -> r.hasMemberLeft() && r.getMemberLeft().getUserId().equals(left),
        "member_left of the user who left");
  }

  private static void memberLeftReasonWithoutPresence(Probe p) throws InterruptedException {
    Joined watcher = p.join("watcher");
    expectMemberLeft(p, watcher, "leave frame", NullReason.NULL_REASON_LEFT, j -> leave(p, j.session()),
        p.join("u1"), p.timing().requestTimeout());
    expectMemberLeft(p, watcher, "cancelled call", NullReason.NULL_REASON_LEFT, j -> j.session().cancel(),
        p.join("u2"), p.timing().requestTimeout());
    Probe.Faulty lost;
    try {
      lost = p.joinThroughProxy("u3");
    } catch (NotApplicable n) {
      return;
    }
    long bound = limit(lost.joined().opened().getLimits().getLeaveDetectionMillis())
        + limit(lost.joined().opened().getLimits().getThrottleWindowMillis()) + 25 + p.timing().slackMillis();
    expectMemberLeft(p, watcher, "blackholed connection", NullReason.NULL_REASON_TIMED_OUT,
        j -> lost.proxy().blackhole(), lost.joined(), Duration.ofMillis(bound));
  }

  private interface Ending {
    void end(Joined j) throws InterruptedException;
  }

  private static void expectMemberLeft(Probe p, Joined watcher, String how, NullReason reason, Ending ending,
      Joined leaver, Duration within) throws InterruptedException {
    String user = leaver.opened().getSelf().getUserId();
    int from = p.mark();
    ending.end(leaver);
    ConnectResponse left = p.await(watcher.session(), from, r -> r.hasMemberLeft()
        && r.getMemberLeft().getUserId().equals(user), "member_left after a " + how, within);
    if (left.getMemberLeft().getReason() != reason) {
      throw new CaseFailure("member_left of a user without presence after a " + how + " should say " + reason
          + "; said " + left.getMemberLeft().getReason());
    }
  }

}
