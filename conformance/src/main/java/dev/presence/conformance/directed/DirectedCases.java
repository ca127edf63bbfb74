package dev.presence.conformance.directed;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ClearState;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.Leave;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.Unsubscribe;
import dev.presence.protocol.v1.UpdateState;
import io.grpc.Status;
import java.util.List;
import static dev.presence.conformance.directed.Expect.awaitEvent;
import static dev.presence.conformance.directed.Expect.everyone;
import static dev.presence.conformance.directed.Expect.expectEnd;
import static dev.presence.conformance.directed.Expect.fatalOnOpen;
import static dev.presence.conformance.directed.Expect.marked;
import static dev.presence.conformance.directed.Expect.nonFatal;
import static dev.presence.conformance.directed.Expect.send;
import static dev.presence.conformance.directed.Expect.stateOfSize;
import static dev.presence.conformance.directed.Expect.stillAlive;

/** The catalogue of directed cases, one or more per requirement. */
public final class DirectedCases {

  private DirectedCases() {}

  /** Returns every directed case. */
  public static List<DirectedCase> all() {
    List<DirectedCase> all = new java.util.ArrayList<>(draftOne());
    all.addAll(OpenCases.all());
    all.addAll(FrameCases.all());
    all.addAll(IdentifierCases.all());
    all.addAll(StateCases.all());
    all.addAll(AnswerCases.all());
    all.addAll(DepartureCases.all());
    all.addAll(LivenessCases.all());
    all.addAll(CredentialCases.all());
    return List.copyOf(all);
  }

  private static List<DirectedCase> draftOne() {
    return List.of(
        new DirectedCase("PRS-TRN-1", DirectedCases::sessionIsOneCall),
        new DirectedCase("PRS-OPN-1", p -> fatalOnOpen(p, b -> b.setPing(Ping.newBuilder().setNonce(1)),
            Status.Code.INVALID_ARGUMENT, "OPEN_REQUIRED")),
        new DirectedCase("PRS-OPN-2", p -> fatalOnOpen(p, b -> b.setOpen(p.openFrame("u1").setRoomId("no spaces!")),
            Status.Code.INVALID_ARGUMENT, "INVALID_ROOM_ID")),
        new DirectedCase("PRS-OPN-3", DirectedCases::unsupportedVersion),
        new DirectedCase("PRS-OPN-6", p -> nonFatal(p, b -> b.setOpen(p.openFrame("u1")), ErrorReason.ERROR_REASON_ALREADY_OPEN)),
        new DirectedCase("PRS-ERR-2", p -> fatalOnOpen(p, b -> b.setClearState(ClearState.getDefaultInstance()),
            Status.Code.INVALID_ARGUMENT, "OPEN_REQUIRED")),
        new DirectedCase("PRS-ERR-4", p -> nonFatal(p, b -> b, ErrorReason.ERROR_REASON_UNSUPPORTED_FRAME)),
        new DirectedCase("PRS-ERR-1", DirectedCases::errorFrameCarriesRequestId),
        new DirectedCase("PRS-STA-2", p -> nonFatal(p, b -> b.setUpdateState(UpdateState.getDefaultInstance()),
            ErrorReason.ERROR_REASON_STATE_MISSING)),
        new DirectedCase("PRS-STA-3", DirectedCases::oversizedStateKeepsPrevious),
        new DirectedCase("PRS-SUB-1", p -> nonFatal(p, b -> b.setSubscribe(Subscribe.newBuilder()
            .setSubscriptionId("white space").setTarget(everyone())), ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID)),
        new DirectedCase("PRS-SUB-2", p -> nonFatal(p, b -> b.setSubscribe(Subscribe.newBuilder()
            .setSubscriptionId("a")), ErrorReason.ERROR_REASON_TARGET_MISSING)),
        new DirectedCase("PRS-SUB-7", DirectedCases::unsubscribeNullsThenAck),
        new DirectedCase("PRS-SUB-8", p -> nonFatal(p, b -> b.setUnsubscribe(Unsubscribe.newBuilder()
            .setSubscriptionId("never")), ErrorReason.ERROR_REASON_UNKNOWN_SUBSCRIPTION)),
        new DirectedCase("PRS-SUB-9", DirectedCases::tooManySubscriptions),
        new DirectedCase("PRS-TGT-1", DirectedCases::allIncludesOwnUser),
        new DirectedCase("PRS-FOL-1", p -> nonFatal(p, b -> b.setRequestId(0).setFollow(Follow.newBuilder()
            .setUserId("someone")), ErrorReason.ERROR_REASON_REQUEST_ID_MISSING)),
        new DirectedCase("PRS-FOL-2", DirectedCases::followIsAcknowledged),
        new DirectedCase("PRS-FOL-5", DirectedCases::tooManyFollows),
        new DirectedCase("PRS-MEM-2", DirectedCases::memberLeftAfterNull),
        new DirectedCase("PRS-MEM-4", DirectedCases::membershipIsNotFiltered),
        new DirectedCase("PRS-END-1", DirectedCases::leaveCompletesWithOk),
        new DirectedCase("PRS-LIV-3", DirectedCases::pingIsAnswered),
        new DirectedCase("PRS-LIM-3", DirectedCases::tooManySessionsForOneUser),
        new DirectedCase("PRS-SES-1", DirectedCases::oneUserTwoSessions),
        new DirectedCase("PRS-SES-2", DirectedCases::latestTabWinsAndClearReverts),
        new DirectedCase("PRS-STA-1", DirectedCases::updateReplacesWholeState),
        new DirectedCase("PRS-STA-4", DirectedCases::clearNullsOnceAndRepeatIsSilent),
        new DirectedCase("PRS-IDN-3", DirectedCases::invalidDevIdentityRefused),
        new DirectedCase("PRS-IDN-5", p -> nonFatal(p, b -> b.setFollow(Follow.newBuilder()
            .setUserId("bell\u0007")), ErrorReason.ERROR_REASON_INVALID_USER_ID)),
        new DirectedCase("PRS-ROOM-1", DirectedCases::roomIdFormat),
        new DirectedCase("PRS-ERR-3", p -> fatalOnOpen(p, b -> b.setOpen(p.openFrame("u1").setRoomId("x".repeat(129))),
            Status.Code.INVALID_ARGUMENT, "INVALID_ROOM_ID")),
        new DirectedCase("PRS-PRV-2", DirectedCases::errorMessagesDoNotQuoteState),
        new DirectedCase("PRS-EVO-2", DirectedCases::unknownFieldsIgnored),
        new DirectedCase("PRS-OPN-8", DirectedCases::unknownCapabilityIgnored),
        new DirectedCase("PRS-LIV-1", DirectedCases::blackholedPeerTimesOut),
        new DirectedCase("PRS-END-3", DirectedCases::resetConnectionLeaves));
  }

  private static void sessionIsOneCall(Probe p) throws InterruptedException {
    Joined a = p.join("u1");
    Joined b = p.join("u1");
    if (a.opened().getSessionId().equals(b.opened().getSessionId())) {
      throw new CaseFailure("two calls got the same session_id " + a.opened().getSessionId());
    }
  }

  private static void unsupportedVersion(Probe p) throws InterruptedException {
    RawSession s = p.start("u1");
    int from = p.mark();
    s.send(ConnectRequest.newBuilder().setOpen(p.openFrame("u1").setProtocolVersion(99)).build());
    Observation.Ended ended = p.awaitEnd(s, from);
    expectEnd(ended, Status.Code.FAILED_PRECONDITION, "UNSUPPORTED_VERSION");
    String versions = ended.errorInfoMetadata().getOrDefault("supported_versions", "");
    if (!versions.matches("[0-9]+(,[0-9]+)*") || !List.of(versions.split(",")).contains("1")) {
      throw new CaseFailure("ErrorInfo metadata supported_versions should list 1; was '" + versions + "'");
    }
  }

  private static void errorFrameCarriesRequestId(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    int from = p.mark();
    j.session().send(ConnectRequest.newBuilder().setRequestId(77).setSubscribe(Subscribe.newBuilder()
        .setSubscriptionId("a")).build());
    ConnectResponse error = p.await(j.session(), from, ConnectResponse::hasError, "a ProtocolError");
    if (error.getError().getRequestId() != 77 || error.getError().getMessage().isBlank()) {
      throw new CaseFailure("ProtocolError should carry request_id 77 and a message; got request_id "
          + error.getError().getRequestId() + ", message '" + error.getError().getMessage() + "'");
    }
    if (!error.getError().getSubscriptionId().equals("a")) {
      throw new CaseFailure("ProtocolError about subscription 'a' should name it; named '"
          + error.getError().getSubscriptionId() + "'");
    }
    stillAlive(p, j.session());
  }

  private static void oversizedStateKeepsPrevious(Probe p) throws InterruptedException {
    Joined sender = p.join("u1");
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    Struct small = stateOfSize(10);
    int from = p.mark();
    sender.session().send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(small)).build());
    p.await(watcher.session(), from, r -> r.hasPresence() && r.getPresence().getEventsList().stream()
        .anyMatch(e -> e.getState().equals(small)), "the first state");
    int tooBig = (int) Integer.toUnsignedLong(sender.opened().getLimits().getMaxStateBytes()) + 1;
    from = p.mark();
    sender.session().send(ConnectRequest.newBuilder().setRequestId(5).setUpdateState(UpdateState.newBuilder()
        .setState(stateOfSize(tooBig))).build());
    ConnectResponse error = p.await(sender.session(), from, ConnectResponse::hasError, "STATE_TOO_LARGE");
    if (error.getError().getReason() != ErrorReason.ERROR_REASON_STATE_TOO_LARGE) {
      throw new CaseFailure("expected STATE_TOO_LARGE; got " + error.getError().getReason());
    }
    p.quietPeriod();
    for (ConnectResponse r : p.receivedSince(watcher.session(), from)) {
      if (r.hasPresence()) {
        throw new CaseFailure("the watcher received presence after a rejected state: " + r.getPresence());
      }
    }
  }

  private static void unsubscribeNullsThenAck(Probe p) throws InterruptedException {
    Joined sender = p.join("u1");
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    int from = p.mark();
    sender.session().send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder()
        .setState(stateOfSize(3))).build());
    p.await(watcher.session(), from, r -> r.hasPresence(), "the sender's state");
    from = p.mark();
    watcher.session().send(ConnectRequest.newBuilder().setRequestId(88).setUnsubscribe(Unsubscribe.newBuilder()
        .setSubscriptionId("w")).build());
    p.await(watcher.session(), from, r -> r.hasAck() && r.getAck().getRequestId() == 88, "the ack of unsubscribe");
    boolean nullBeforeAck = false;
    for (ConnectResponse r : p.receivedSince(watcher.session(), from)) {
      if (r.hasAck()) {
        break;
      }
      for (PresenceEvent e : r.getPresence().getEventsList()) {
        nullBeforeAck |= !e.hasState() && e.getNullReason() == NullReason.NULL_REASON_OUT_OF_SCOPE
            && e.getSubscriptionIdsList().equals(List.of("w"))
            && e.getUserId().equals(sender.opened().getSelf().getUserId());
      }
    }
    if (!nullBeforeAck) {
      throw new CaseFailure("expected a null OUT_OF_SCOPE about the sender tagged [w] before the ack");
    }
  }

  private static void tooManySubscriptions(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    long max = Integer.toUnsignedLong(j.opened().getLimits().getMaxSubscriptions());
    for (int i = 0; i < max; i++) {
      p.subscribeAll(j.session(), "s" + i);
    }
    int from = p.mark();
    j.session().send(ConnectRequest.newBuilder().setRequestId(3).setSubscribe(Subscribe.newBuilder()
        .setSubscriptionId("one-too-many").setTarget(everyone())).build());
    ConnectResponse r = p.await(j.session(), from, x -> x.hasError() || x.hasSnapshotComplete(), "an error");
    if (!r.hasError() || r.getError().getReason() != ErrorReason.ERROR_REASON_TOO_MANY_SUBSCRIPTIONS) {
      throw new CaseFailure("subscription " + (max + 1) + " of " + max + " allowed should get "
          + "TOO_MANY_SUBSCRIPTIONS; got " + r.getFrameCase());
    }
  }

  private static void allIncludesOwnUser(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    p.subscribeAll(j.session(), "self");
    Struct state = stateOfSize(4);
    int from = p.mark();
    j.session().send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(state)).build());
    p.await(j.session(), from, r -> r.hasPresence() && r.getPresence().getEventsList().stream().anyMatch(e ->
        e.getUserId().equals(j.opened().getSelf().getUserId()) && e.getState().equals(state)),
        "the session's own state under '*'");
  }

  private static void followIsAcknowledged(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    int from = p.mark();
    j.session().send(ConnectRequest.newBuilder().setRequestId(1234).setFollow(Follow.newBuilder()
        .setUserId("nobody-yet")).build());
    p.await(j.session(), from, r -> r.hasAck() && r.getAck().getRequestId() == 1234, "ack 1234");
  }

  private static void tooManyFollows(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    long max = Integer.toUnsignedLong(j.opened().getLimits().getMaxFollows());
    for (int i = 0; i < max; i++) {
      long id = 1000 + i;
      int from = p.mark();
      j.session().send(ConnectRequest.newBuilder().setRequestId(id).setFollow(Follow.newBuilder()
          .setUserId("f" + i)).build());
      p.await(j.session(), from, r -> r.hasAck() && r.getAck().getRequestId() == id, "ack of follow " + i);
    }
    int from = p.mark();
    j.session().send(ConnectRequest.newBuilder().setRequestId(1).setFollow(Follow.newBuilder()
        .setUserId("one-too-many")).build());
    ConnectResponse r = p.await(j.session(), from, x -> x.hasError() || x.hasAck(), "an error");
    if (!r.hasError() || r.getError().getReason() != ErrorReason.ERROR_REASON_TOO_MANY_FOLLOWS) {
      throw new CaseFailure("follow " + (max + 1) + " of " + max + " allowed should get TOO_MANY_FOLLOWS; got "
          + r.getFrameCase());
    }
  }

  private static void memberLeftAfterNull(Probe p) throws InterruptedException {
    Joined leaver = p.join("u1");
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    int from = p.mark();
    leaver.session().send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder()
        .setState(stateOfSize(2))).build());
    p.await(watcher.session(), from, ConnectResponse::hasPresence, "the leaver's state");
    from = p.mark();
    leaver.session().send(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
    ConnectResponse left = p.await(watcher.session(), from, ConnectResponse::hasMemberLeft, "member_left");
    if (left.getMemberLeft().getReason() != NullReason.NULL_REASON_LEFT) {
      throw new CaseFailure("member_left after a leave frame should say LEFT; said " + left.getMemberLeft().getReason());
    }
    boolean nullFirst = p.receivedSince(watcher.session(), from).stream()
        .takeWhile(r -> !r.hasMemberLeft())
        .anyMatch(r -> r.getPresence().getEventsList().stream().anyMatch(e -> !e.hasState()));
    if (!nullFirst) {
      throw new CaseFailure("member_left arrived before the leaver's null");
    }
  }

  private static void membershipIsNotFiltered(Probe p) throws InterruptedException {
    Joined watcher = p.join("u2");
    int from = p.mark();
    Joined newcomer = p.join("u1");
    ConnectResponse joined = p.await(watcher.session(), from, ConnectResponse::hasMemberJoined,
        "member_joined without any subscription");
    if (!joined.getMemberJoined().getUser().getUserId().equals(newcomer.opened().getSelf().getUserId())) {
      throw new CaseFailure("member_joined named " + joined.getMemberJoined().getUser().getUserId());
    }
  }

  private static void leaveCompletesWithOk(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    int from = p.mark();
    j.session().send(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
    Observation.Ended ended = p.awaitEnd(j.session(), from);
    if (ended.code() != Status.Code.OK) {
      throw new CaseFailure("after leave the call should complete with OK; got " + ended.code());
    }
  }

  private static void pingIsAnswered(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    stillAlive(p, j.session());
  }

  private static void tooManySessionsForOneUser(Probe p) throws InterruptedException {
    Joined first = p.join("u1");
    long max = Integer.toUnsignedLong(first.opened().getLimits().getMaxSessionsPerUser());
    if (max > 64) {
      throw new CaseFailure("max_sessions_per_user is " + max + "; the kit checks limits up to 64");
    }
    for (int i = 1; i < max; i++) {
      p.join("u1");
    }
    RawSession extra = p.start("u1");
    int from = p.mark();
    extra.send(ConnectRequest.newBuilder().setOpen(p.openFrame("u1")).build());
    expectEnd(p.awaitEnd(extra, from), Status.Code.RESOURCE_EXHAUSTED, "TOO_MANY_SESSIONS");
    stillAlive(p, first.session());
  }

  private static void oneUserTwoSessions(Probe p) throws InterruptedException {
    Joined a = p.join("u1");
    Joined b = p.join("u1");
    if (!a.opened().getSelf().getUserId().equals(b.opened().getSelf().getUserId())) {
      throw new CaseFailure("two sessions of one user got different user ids");
    }
    stillAlive(p, a.session());
  }

  private static void latestTabWinsAndClearReverts(Probe p) throws InterruptedException {
    Joined tabA = p.join("u1");
    Joined tabB = p.join("u1");
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    String user = tabA.opened().getSelf().getUserId();
    int from = p.mark();
    send(tabA.session(), marked("A"));
    awaitEvent(p, watcher.session(), from, user, "tab A's state");
    from = p.mark();
    send(tabB.session(), marked("B"));
    PresenceEvent b = awaitEvent(p, watcher.session(), from, user, "tab B's state");
    if (!b.getState().equals(marked("B"))) {
      throw new CaseFailure("after tab B updated last, the user's presence was " + b.getState());
    }
    from = p.mark();
    tabB.session().send(ConnectRequest.newBuilder().setClearState(ClearState.getDefaultInstance()).build());
    PresenceEvent reverted = awaitEvent(p, watcher.session(), from, user, "the user's presence after tab B cleared");
    if (!reverted.hasState() || !reverted.getState().equals(marked("A"))) {
      throw new CaseFailure("after tab B cleared, the presence should be tab A's state; got "
          + (reverted.hasState() ? reverted.getState() : "null " + reverted.getNullReason()));
    }
  }

  private static void updateReplacesWholeState(Probe p) throws InterruptedException {
    Joined sender = p.join("u1");
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    String user = sender.opened().getSelf().getUserId();
    int from = p.mark();
    send(sender.session(), marked("first"));
    awaitEvent(p, watcher.session(), from, user, "the first state");
    Struct second = Struct.newBuilder().putFields("other", Value.newBuilder().setBoolValue(true).build()).build();
    from = p.mark();
    send(sender.session(), second);
    PresenceEvent e = awaitEvent(p, watcher.session(), from, user, "the second state");
    if (!e.getState().equals(second)) {
      throw new CaseFailure("update should replace the whole state; the watcher got " + e.getState());
    }
  }

  private static void clearNullsOnceAndRepeatIsSilent(Probe p) throws InterruptedException {
    Joined sender = p.join("u1");
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    String user = sender.opened().getSelf().getUserId();
    int from = p.mark();
    send(sender.session(), marked("x"));
    awaitEvent(p, watcher.session(), from, user, "the state");
    from = p.mark();
    sender.session().send(ConnectRequest.newBuilder().setClearState(ClearState.getDefaultInstance()).build());
    PresenceEvent cleared = awaitEvent(p, watcher.session(), from, user, "the null after clear");
    if (cleared.hasState() || cleared.getNullReason() != NullReason.NULL_REASON_CLEARED) {
      throw new CaseFailure("clear should deliver a null CLEARED; got " + cleared);
    }
    from = p.mark();
    sender.session().send(ConnectRequest.newBuilder().setClearState(ClearState.getDefaultInstance()).build());
    p.quietPeriod();
    if (p.receivedSince(watcher.session(), from).stream().anyMatch(ConnectResponse::hasPresence)) {
      throw new CaseFailure("clearing a null state delivered something");
    }
  }

  private static void invalidDevIdentityRefused(Probe p) throws InterruptedException {
    if (p.credentials().verifiedByServer()) {
      throw new NotApplicable("applies to the development mode, which these credentials do not use");
    }
    fatalOnOpen(p, b -> b.setOpen(p.openFrame("u1").setDevUserId("\u0000")), Status.Code.UNAUTHENTICATED,
        "UNAUTHENTICATED");
  }

  private static void roomIdFormat(Probe p) throws InterruptedException {
    RawSession s = p.start("u1");
    int from = p.mark();
    s.send(ConnectRequest.newBuilder().setOpen(p.openFrame("u1").setRoomId(p.room() + ".Az_9:~-")).build());
    p.await(s, from, ConnectResponse::hasOpened, "opened for a room id using every allowed character");
  }

  private static void errorMessagesDoNotQuoteState(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    String marker = "private-marker-";
    int size = (int) Integer.toUnsignedLong(j.opened().getLimits().getMaxStateBytes()) + 1;
    int from = p.mark();
    send(j.session(), marked(marker + "y".repeat(size)));
    ConnectResponse error = p.await(j.session(), from, ConnectResponse::hasError, "STATE_TOO_LARGE");
    if (error.getError().getMessage().contains(marker)) {
      throw new CaseFailure("the error message quotes the rejected state");
    }
  }

  private static void unknownFieldsIgnored(Probe p) throws InterruptedException {
    Joined sender = p.join("u1");
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    com.google.protobuf.UnknownFieldSet unknown = com.google.protobuf.UnknownFieldSet.newBuilder()
        .addField(4242, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build();
    int from = p.mark();
    sender.session().send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder()
        .setState(marked("future")).setUnknownFields(unknown)).setUnknownFields(unknown).build());
    PresenceEvent e = awaitEvent(p, watcher.session(), from, sender.opened().getSelf().getUserId(),
        "the state sent with unknown fields");
    if (!e.getState().equals(marked("future"))) {
      throw new CaseFailure("a frame with unknown fields was not processed as without them");
    }
  }

  private static void unknownCapabilityIgnored(Probe p) throws InterruptedException {
    RawSession s = p.start("u1");
    int from = p.mark();
    s.send(ConnectRequest.newBuilder().setOpen(p.openFrame("u1").addCapabilitiesValue(9999)).build());
    ConnectResponse opened = p.await(s, from, ConnectResponse::hasOpened, "opened despite an unknown capability");
    if (opened.getOpened().getCapabilitiesValueList().contains(9999)) {
      throw new CaseFailure("the server claims to use capability 9999, which it cannot know");
    }
  }

  private static PresenceEvent lostPeer(Probe p, boolean blackhole) throws InterruptedException {
    Probe.Faulty lost = p.joinThroughProxy("u1");
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    String user = lost.joined().opened().getSelf().getUserId();
    int from = p.mark();
    send(lost.joined().session(), marked("about to vanish"));
    awaitEvent(p, watcher.session(), from, user, "the state of the session about to be cut off");
    long bound = Integer.toUnsignedLong(lost.joined().opened().getLimits().getLeaveDetectionMillis())
        + Integer.toUnsignedLong(lost.joined().opened().getLimits().getThrottleWindowMillis()) + 25
        + p.timing().slackMillis();
    from = p.mark();
    if (blackhole) {
      lost.proxy().blackhole();
    } else {
      lost.proxy().reset();
    }
    ConnectResponse r = p.await(watcher.session(), from, x -> x.hasPresence() && x.getPresence().getEventsList()
        .stream().anyMatch(e -> e.getUserId().equals(user) && !e.hasState()),
        "the null of a " + (blackhole ? "blackholed" : "reset") + " peer", java.time.Duration.ofMillis(bound));
    return r.getPresence().getEventsList().stream().filter(e -> e.getUserId().equals(user)).findFirst()
        .orElseThrow();
  }

  private static void blackholedPeerTimesOut(Probe p) throws InterruptedException {
    PresenceEvent e = lostPeer(p, true);
    if (e.getNullReason() != NullReason.NULL_REASON_TIMED_OUT) {
      throw new CaseFailure("a peer lost without a word should time out; the reason was " + e.getNullReason());
    }
  }

  private static void resetConnectionLeaves(Probe p) throws InterruptedException {
    PresenceEvent e = lostPeer(p, false);
    if (e.getNullReason() != NullReason.NULL_REASON_LEFT) {
      throw new CaseFailure("a connection reset by the peer should give LEFT; the reason was " + e.getNullReason());
    }
  }
}
