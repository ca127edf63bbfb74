package dev.presence.conformance.client.server;

import dev.presence.protocol.Identifiers;
import com.google.protobuf.Struct;
import dev.presence.protocol.v1.Ack;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.ProtocolError;
import dev.presence.protocol.v1.SnapshotComplete;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The autopilot's answers to client frames, as SPEC §3, §6, §8, §10 and §14 require of a server. Runs on the call's
 * worker, one frame at a time, under the room lock.
 */
final class Answers {
  private final Autopilot autopilot;
  private final KitRoom room;
  private long sessionCounter;

  Answers(Autopilot autopilot, KitRoom room) {
    this.autopilot = autopilot;
    this.room = room;
  }

  /** Handles one message from the client, in the call's order. */
  void process(KitCall call, Inbound in) {
    Duration delay = autopilot.snapshotDelay();
    if (in.kind() == ConnectRequest.FrameCase.SUBSCRIBE && !delay.isZero() && call.isOpened()) {
      try {
        Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    synchronized (room.lock) {
      if (call.ended()) {
        return; // PRS-OPN-11: frames after a failed open are discarded; so are frames after any end.
      }
      if (!call.isOpened()) {
        first(call, in);
      } else {
        later(call, in, false);
      }
    }
  }

  /** Answers a frame on a test's request, whatever the knobs say. */
  void answer(KitCall call, Inbound in) {
    synchronized (room.lock) {
      if (!call.ended() && call.isOpened()) {
        later(call, in, true);
      }
    }
  }

  private void first(KitCall call, Inbound in) {
    Optional<Autopilot.Refusal> refusal = autopilot.takeRefusal();
    if (refusal.isPresent()) {
      Autopilot.Refusal r = refusal.get();
      call.endWith(r.code(), r.reasonName(), r.message(), r.metadata(), NullReason.NULL_REASON_LEFT);
      return;
    }
    if (in.frame().isEmpty()) {
      call.endFatal(ErrorReason.ERROR_REASON_MALFORMED_FRAME, "the first frame is no ConnectRequest");
      return;
    }
    ConnectRequest frame = in.frame().get();
    if (!frame.hasOpen()) {
      call.endFatal(ErrorReason.ERROR_REASON_OPEN_REQUIRED, "the first frame must be open");
      return;
    }
    Open open = frame.getOpen();
    if (open.getProtocolVersion() != 1) {
      call.end(ErrorDetails.codeOf(ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION),
          ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION,
          "protocol_version " + open.getProtocolVersion() + " is not supported", Map.of("supported_versions", "1"));
      return;
    }
    if (!Identifiers.isValidRoomId(open.getRoomId())) {
      call.endFatal(ErrorReason.ERROR_REASON_INVALID_ROOM_ID, "room_id violates PRS-ROOM-1");
      return;
    }
    Optional<String> user = autopilot.userOf(call.authorization());
    if (user.isEmpty()) {
      call.endFatal(ErrorReason.ERROR_REASON_UNAUTHENTICATED, "the kit does not accept these credentials");
      return;
    }
    Limits limits = autopilot.limits();
    if (limits.getMaxSessionsPerUser() > 0 && room.callSessions(user.get()) >= limits.getMaxSessionsPerUser()) {
      call.endFatal(ErrorReason.ERROR_REASON_TOO_MANY_SESSIONS, "max_sessions_per_user reached");
      return;
    }
    call.accepted(user.get());
    room.addSession(call, user.get());
    List<Capability> caps = new ArrayList<>(autopilot.capabilitiesFor(open.getCapabilitiesList()));
    Opened opened = Opened.newBuilder()
        .setSessionId("kit-session-" + (++sessionCounter))
        .setSelf(User.newBuilder().setUserId(user.get()).setDisplayName(user.get()))
        .setProtocolVersion(1)
        .setLimits(limits)
        .addAllMembers(room.memberUsers())
        .addAllCapabilities(caps)
        .build();
    call.markOpened();
    call.send(ConnectResponse.newBuilder().setOpened(opened).build());
    long drainingDeadline = autopilot.drainingDeadlineMillis();
    if (drainingDeadline >= 0 && caps.contains(Capability.CAPABILITY_DRAIN)) {
      call.send(ConnectResponse.newBuilder()
          .setDraining(dev.presence.protocol.v1.Draining.newBuilder().setDeadlineMillis(drainingDeadline)).build());
    }
    room.opened(call);
  }

  private void later(KitCall call, Inbound in, boolean forced) {
    if (in.frame().isEmpty()) {
      error(call, ErrorReason.ERROR_REASON_MALFORMED_FRAME, "undecodable frame", 0, "");
      return;
    }
    ConnectRequest f = in.frame().get();
    switch (f.getFrameCase()) {
      case OPEN -> error(call, ErrorReason.ERROR_REASON_ALREADY_OPEN, "the session is open", f.getRequestId(), "");
      case UPDATE_STATE -> update(call, f);
      case CLEAR_STATE -> room.sessionState(call, call.userIdOrNull(), null);
      case SUBSCRIBE -> subscribe(call, f);
      case UNSUBSCRIBE -> unsubscribe(call, f);
      case FOLLOW -> {
        if (forced || autopilot.answerFollows()) {
          follow(call, f);
        }
      }
      case UNFOLLOW -> {
        if (forced || autopilot.answerFollows()) {
          unfollow(call, f);
        }
      }
      case LEAVE -> call.leaveReceived();
      case PING -> {
        if (forced || autopilot.answerPings()) {
          call.send(ConnectResponse.newBuilder().setPong(Pong.newBuilder().setNonce(f.getPing().getNonce())).build());
        }
      }
      case PONG -> { } // Recorded on arrival; tests read them with KitCall.pongs().
      default -> error(call, ErrorReason.ERROR_REASON_UNSUPPORTED_FRAME, "no frame kind the kit knows",
          f.getRequestId(), "");
    }
  }

  private void update(KitCall call, ConnectRequest f) {
    if (!f.getUpdateState().hasState()) {
      error(call, ErrorReason.ERROR_REASON_STATE_MISSING, "update_state without state", f.getRequestId(), "");
      return;
    }
    Struct state = f.getUpdateState().getState();
    Optional<ErrorReason> wrong = StateRules.violation(state, autopilot.limits());
    if (wrong.isPresent()) {
      // The message names the rule only: states never appear in errors (PRS-PRV-2).
      error(call, wrong.get(), "state rejected by the kit's limits", f.getRequestId(), "");
      return;
    }
    room.sessionState(call, call.userIdOrNull(), state);
  }

  private void subscribe(KitCall call, ConnectRequest f) {
    String id = f.getSubscribe().getSubscriptionId();
    long rid = f.getRequestId();
    SessionScope scope = call.scope;
    if (!Identifiers.isValidSubscriptionId(id)) {
      error(call, ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID, "subscription_id violates PRS-SUB-1", rid, "");
      return;
    }
    SyncTarget target = f.getSubscribe().getTarget();
    if (!f.getSubscribe().hasTarget() || target.getKindCase() == SyncTarget.KindCase.KIND_NOT_SET) {
      error(call, ErrorReason.ERROR_REASON_TARGET_MISSING, "subscribe without target", rid, id);
      return;
    }
    if (target.getKindCase() == SyncTarget.KindCase.USER_ID && !Identifiers.isValidUserId(target.getUserId())) {
      error(call, ErrorReason.ERROR_REASON_INVALID_USER_ID, "user_id violates PRS-IDN-5", rid, id);
      return;
    }
    if (!scope.subscriptions.containsKey(id)
        && scope.subscriptions.size() >= autopilot.limits().getMaxSubscriptions()) {
      error(call, ErrorReason.ERROR_REASON_TOO_MANY_SUBSCRIPTIONS, "max_subscriptions reached", rid, id);
      return;
    }
    // Read before anything of this answer leaves: a test that turns the knob once it saw this snapshot must not
    // change how this subscribe is answered.
    boolean hold = autopilot.holdSnapshotComplete();
    boolean liveWaits = autopilot.liveWaitsForHeldSnapshots();
    SyncTarget old = scope.subscriptions.get(id);
    List<PresenceEvent> events = new ArrayList<>();
    List<String> leaving = new ArrayList<>();
    for (String u : room.members()) {
      boolean before = old != null && scope.covers(old, u, true);
      boolean after = scope.covers(target, u, true);
      if (before && !after && scope.views.containsKey(u)) {
        events.add(tagged(u, null, NullReason.NULL_REASON_OUT_OF_SCOPE, List.of(id)));
        leaving.add(u);
      } else if (after && !before && room.presence(u) != null) {
        events.add(tagged(u, room.presence(u), null, List.of(id)));
      }
    }
    scope.subscriptions.put(id, target);
    for (PresenceEvent e : events) {
      if (e.hasState()) {
        scope.views.put(e.getUserId(), e.getState());
      }
    }
    dropViewsOutOfScope(scope, leaving);
    sendEvents(call, events);
    ConnectResponse complete = ConnectResponse.newBuilder()
        .setSnapshotComplete(SnapshotComplete.newBuilder().setSubscriptionId(id).setRequestId(rid)).build();
    if (hold) {
      room.hold(call, complete, liveWaits);
    } else {
      call.send(complete);
    }
  }

  private void unsubscribe(KitCall call, ConnectRequest f) {
    String id = f.getUnsubscribe().getSubscriptionId();
    long rid = f.getRequestId();
    SessionScope scope = call.scope;
    if (!Identifiers.isValidSubscriptionId(id)) {
      error(call, ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID, "subscription_id violates PRS-SUB-1", rid, "");
      return;
    }
    SyncTarget target = scope.subscriptions.get(id);
    if (target == null) {
      error(call, ErrorReason.ERROR_REASON_UNKNOWN_SUBSCRIPTION, "no such subscription", rid, id);
      return;
    }
    List<PresenceEvent> events = new ArrayList<>();
    List<String> leaving = new ArrayList<>();
    for (String u : room.members()) {
      if (scope.covers(target, u, true) && scope.views.containsKey(u)) {
        events.add(tagged(u, null, NullReason.NULL_REASON_OUT_OF_SCOPE, List.of(id)));
        leaving.add(u);
      }
    }
    scope.subscriptions.remove(id);
    dropViewsOutOfScope(scope, leaving);
    sendEvents(call, events);
    if (rid != 0) {
      ack(call, rid);
    }
  }

  private void follow(KitCall call, ConnectRequest f) {
    String u = f.getFollow().getUserId();
    long rid = f.getRequestId();
    SessionScope scope = call.scope;
    if (rid == 0) {
      error(call, ErrorReason.ERROR_REASON_REQUEST_ID_MISSING, "follow needs a request_id", 0, "");
      return;
    }
    if (!Identifiers.isValidUserId(u)) {
      error(call, ErrorReason.ERROR_REASON_INVALID_USER_ID, "user_id violates PRS-IDN-5", rid, "");
      return;
    }
    if (!scope.follows.contains(u)) {
      if (scope.follows.size() >= autopilot.limits().getMaxFollows()) {
        error(call, ErrorReason.ERROR_REASON_TOO_MANY_FOLLOWS, "max_follows reached", rid, "");
        return;
      }
      scope.follows.add(u);
      List<String> followed = scope.followedSubscriptions();
      Struct presence = room.presence(u);
      if (!followed.isEmpty() && presence != null) {
        scope.views.put(u, presence);
        sendEvents(call, List.of(tagged(u, presence, null, followed)));
      }
    }
    ack(call, rid);
  }

  private void unfollow(KitCall call, ConnectRequest f) {
    String u = f.getUnfollow().getUserId();
    long rid = f.getRequestId();
    SessionScope scope = call.scope;
    if (rid == 0) {
      error(call, ErrorReason.ERROR_REASON_REQUEST_ID_MISSING, "unfollow needs a request_id", 0, "");
      return;
    }
    if (!Identifiers.isValidUserId(u)) {
      error(call, ErrorReason.ERROR_REASON_INVALID_USER_ID, "user_id violates PRS-IDN-5", rid, "");
      return;
    }
    if (scope.follows.remove(u)) {
      List<String> followed = scope.followedSubscriptions();
      if (!followed.isEmpty() && scope.views.containsKey(u)) {
        sendEvents(call, List.of(tagged(u, null, NullReason.NULL_REASON_OUT_OF_SCOPE, followed)));
      }
      dropViewsOutOfScope(scope, List.of(u));
    }
    ack(call, rid);
  }

  /** A user out of the whole union scope because of the session's own change has a null view (SPEC §1.2). */
  private void dropViewsOutOfScope(SessionScope scope, List<String> users) {
    for (String u : users) {
      if (!scope.unionCovers(u, room.isMember(u))) {
        scope.views.remove(u);
      }
    }
  }

  private static PresenceEvent tagged(String user, Struct state, NullReason reason, List<String> ids) {
    PresenceEvent.Builder e = PresenceEvent.newBuilder().setUserId(user).addAllSubscriptionIds(ids);
    if (state != null) {
      e.setState(state);
    } else {
      e.setNullReason(reason);
    }
    return e.build();
  }

  private static void sendEvents(KitCall call, List<PresenceEvent> events) {
    if (!events.isEmpty()) {
      call.send(ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addAllEvents(events)).build());
    }
  }

  private static void ack(KitCall call, long rid) {
    call.send(ConnectResponse.newBuilder().setAck(Ack.newBuilder().setRequestId(rid)).build());
  }

  private static void error(KitCall call, ErrorReason reason, String message, long rid, String subscriptionId) {
    call.send(ConnectResponse.newBuilder().setError(ProtocolError.newBuilder()
        .setReason(reason).setMessage(message).setRequestId(rid).setSubscriptionId(subscriptionId)).build());
  }
}
