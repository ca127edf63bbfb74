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
    all.addAll(HandshakeCases.all());
    all.addAll(WebSocketFrameCases.all());
    all.addAll(WebSocketEndCases.all());
    all.addAll(WebSocketLivenessCases.all());
    all.addAll(BindingCases.all());
    all.addAll(DrainCases.all());
    return List.copyOf(all);
  }

  private static List<DirectedCase> draftOne() {
    return List.of(
        DirectedCase.checks("PRS-TRN-1",
            "A session MUST be exactly one call: on the gRPC binding, one call of the bidirectional RPC "
                + "presence.v1.PresenceService/Connect; on the WebSocket binding, one WebSocket connection (PRS-WS-1).")
            .by(DirectedCases::sessionIsOneCall),
        DirectedCase.checks("PRS-OPN-1",
            "If it is not, the server MUST end the call with INVALID_ARGUMENT, reason OPEN_REQUIRED.")
            .by(p -> fatalOnOpen(p, b -> b.setPing(Ping.newBuilder().setNonce(1)),
                Status.Code.INVALID_ARGUMENT, "OPEN_REQUIRED")),
        DirectedCase.checks("PRS-OPN-2",
            "If Open.room_id violates PRS-ROOM-1, the server MUST end the call with INVALID_ARGUMENT, reason "
                + "INVALID_ROOM_ID.")
            .by(p -> fatalOnOpen(p, b -> b.setOpen(p.openFrame("u1").setRoomId("no spaces!")),
                Status.Code.INVALID_ARGUMENT, "INVALID_ROOM_ID")),
        DirectedCase.checks("PRS-OPN-3",
            "If the server does not speak Open.protocol_version, it MUST end the call with "
                + "FAILED_PRECONDITION, reason UNSUPPORTED_VERSION, and ErrorInfo metadata supported_versions "
                + "holding the versions it speaks as a comma-separated list of decimal integers (for example 1).")
            .by(DirectedCases::unsupportedVersion),
        DirectedCase.checks("PRS-OPN-6",
            "A second open on an opened session MUST get a ProtocolError with reason ALREADY_OPEN, and the "
                + "session MUST continue")
            .by(p -> nonFatal(p, b -> b.setOpen(p.openFrame("u1")), ErrorReason.ERROR_REASON_ALREADY_OPEN)),
        DirectedCase.checks("PRS-ERR-2",
            "A fatal error MUST end the call with a gRPC status whose details (grpc-status-details-bin) hold a "
                + "google.rpc.Status",
            "domain presence.v1, reason the ErrorReason name without the ERROR_REASON_ prefix.")
            .by(p -> fatalOnOpen(p, b -> b.setClearState(ClearState.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, "OPEN_REQUIRED")),
        DirectedCase.checks("PRS-ERR-4",
            "A frame whose frame oneof is not set",
            "MUST get a ProtocolError, reason UNSUPPORTED_FRAME, and the session MUST continue.")
            .by(p -> nonFatal(p, b -> b, ErrorReason.ERROR_REASON_UNSUPPORTED_FRAME)),
        DirectedCase.checks("PRS-ERR-1",
            "A non-fatal error MUST be reported as a ProtocolError frame",
            "a message for humans, the offending frame's request_id",
            "the subscription_id that PRS-ERR-8 gives.",
            "The session MUST continue")
            .by(DirectedCases::errorFrameCarriesRequestId),
        DirectedCase.checks("PRS-STA-2",
            "An update_state whose state field is absent MUST get a ProtocolError with reason STATE_MISSING")
            .by(p -> nonFatal(p, b -> b.setUpdateState(UpdateState.getDefaultInstance()),
                ErrorReason.ERROR_REASON_STATE_MISSING)),
        DirectedCase.checks("PRS-STA-3",
            "A state larger than Limits.max_state_bytes MUST get a ProtocolError with reason STATE_TOO_LARGE",
            "MUST NOT be delivered again.")
            .by(DirectedCases::oversizedStateKeepsPrevious),
        DirectedCase.checks("PRS-SUB-1",
            "A server MUST answer a subscribe with an invalid id with a ProtocolError, reason "
                + "INVALID_SUBSCRIPTION_ID.")
            .by(p -> nonFatal(p, b -> b.setSubscribe(Subscribe.newBuilder()
                .setSubscriptionId("white space").setTarget(everyone())), ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID)),
        DirectedCase.checks("PRS-SUB-2",
            "A subscribe without target",
            "MUST get a ProtocolError, reason TARGET_MISSING")
            .by(p -> nonFatal(p, b -> b.setSubscribe(Subscribe.newBuilder()
                .setSubscriptionId("a")), ErrorReason.ERROR_REASON_TARGET_MISSING)),
        DirectedCase.checks("PRS-SUB-7",
            "The server MUST deliver, tagged with its id, a null with reason OUT_OF_SCOPE for each user in its "
                + "scope on whom the session's view is non-null, then an ack with the frame's request_id when it is "
                + "non-zero.")
            .by(DirectedCases::unsubscribeNullsThenAck),
        DirectedCase.checks("PRS-SUB-8",
            "unsubscribe with an unknown subscription_id MUST get a ProtocolError, reason UNKNOWN_SUBSCRIPTION.")
            .by(p -> nonFatal(p, b -> b.setUnsubscribe(Unsubscribe.newBuilder()
                .setSubscriptionId("never")), ErrorReason.ERROR_REASON_UNKNOWN_SUBSCRIPTION)),
        DirectedCase.checks("PRS-SUB-9",
            "A subscribe that would make the session hold more than Limits.max_subscriptions subscriptions "
                + "MUST get a ProtocolError, reason TOO_MANY_SUBSCRIPTIONS")
            .by(DirectedCases::tooManySubscriptions),
        DirectedCase.checks("PRS-TGT-1",
            "all_users MUST cover",
            "the subscriber's own user included.")
            .by(DirectedCases::allIncludesOwnUser),
        DirectedCase.checks("PRS-FOL-1",
            "a server MUST answer one with zero with a ProtocolError, reason REQUEST_ID_MISSING")
            .by(p -> nonFatal(p, b -> b.setRequestId(0).setFollow(Follow.newBuilder()
                .setUserId("someone")), ErrorReason.ERROR_REASON_REQUEST_ID_MISSING)),
        DirectedCase.checks("PRS-FOL-2",
            "A server MUST answer every valid follow",
            "carrying its request_id.")
            .by(DirectedCases::followIsAcknowledged),
        DirectedCase.checks("PRS-FOL-5",
            "A follow that would make the follow set larger than Limits.max_follows MUST get a ProtocolError, "
                + "reason TOO_MANY_FOLLOWS")
            .by(DirectedCases::tooManyFollows),
        DirectedCase.checks("PRS-MEM-2",
            "When a user's last live session in a room ends, the server MUST send member_left with the user id "
                + "and the reason of PRS-END-3 to every remaining session of the room, after any null about that "
                + "user that the session is owed.")
            .by(DirectedCases::memberLeftAfterNull),
        DirectedCase.checks("PRS-MEM-4",
            "Membership is not filtered by subscriptions")
            .by(DirectedCases::membershipIsNotFiltered),
        DirectedCase.checks("PRS-END-1",
            "After leave the server MUST complete the call with status OK")
            .by(DirectedCases::leaveCompletesWithOk),
        DirectedCase.checks("PRS-LIV-3",
            "A peer receiving ping MUST answer with pong carrying the same nonce.")
            .by(DirectedCases::pingIsAnswered),
        DirectedCase.checks("PRS-LIM-3",
            "An open that would exceed a session limit",
            "MUST end the call with RESOURCE_EXHAUSTED, reason TOO_MANY_SESSIONS, and affect no other session.")
            .by(DirectedCases::tooManySessionsForOneUser),
        DirectedCase.checks("PRS-SES-1",
            "A server MUST allow one user several live sessions in one room")
            .by(DirectedCases::oneUserTwoSessions),
        DirectedCase.checks("PRS-SES-2",
            "The presence of a user MUST be the non-null session state that was set most recently among that "
                + "user's live sessions in the room")
            .by(DirectedCases::latestTabWinsAndClearReverts),
        DirectedCase.checks("PRS-STA-1",
            "update_state MUST replace the session state as a whole; servers MUST NOT merge it with the "
                + "previous state.")
            .by(DirectedCases::updateReplacesWholeState),
        DirectedCase.checks("PRS-STA-4",
            "clear_state MUST set the session state to null.",
            "Clearing a null session state MUST have no visible effect.")
            .by(DirectedCases::clearNullsOnceAndRepeatIsSilent),
        DirectedCase.checks("PRS-IDN-3",
            "MUST end the call with UNAUTHENTICATED when dev_user_id violates PRS-IDN-5")
            .by(DirectedCases::invalidDevIdentityRefused),
        DirectedCase.checks("PRS-IDN-5",
            "MUST contain no code point of general category Cc")
            .by(p -> nonFatal(p, b -> b.setFollow(Follow.newBuilder()
                .setUserId("bell\u0007")), ErrorReason.ERROR_REASON_INVALID_USER_ID)),
        DirectedCase.checks("PRS-ROOM-1",
            "A room id MUST match [A-Za-z0-9._:~-]{1,128}.")
            .by(DirectedCases::roomIdFormat),
        DirectedCase.checks("PRS-ERR-3",
            "Fatal reasons MUST map to gRPC codes as in the table below.")
            .by(p -> fatalOnOpen(p, b -> b.setOpen(p.openFrame("u1").setRoomId("x".repeat(129))),
                Status.Code.INVALID_ARGUMENT, "INVALID_ROOM_ID")),
        DirectedCase.checks("PRS-PRV-2",
            "A server MUST NOT include presence states in error messages.")
            .by(DirectedCases::errorMessagesDoNotQuoteState),
        DirectedCase.checks("PRS-EVO-2",
            "Receivers MUST ignore unknown fields.")
            .by(DirectedCases::unknownFieldsIgnored),
        DirectedCase.checks("PRS-OPN-8",
            "A server MUST ignore capability values it does not know.")
            .by(DirectedCases::unknownCapabilityIgnored),
        DirectedCase.checks("PRS-LIV-1",
            "A server MUST detect a peer that stopped responding and deliver its TIMED_OUT null within "
                + "Limits.leave_detection_millis plus W of the moment the peer became unreachable")
            .by(DirectedCases::blackholedPeerTimesOut),
        DirectedCase.checks("PRS-END-3",
            "LEFT for every other way, including a connection the peer closed or reset.")
            .by(DirectedCases::resetConnectionLeaves));
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
