package dev.presence.server.room;

import com.google.protobuf.Struct;
import dev.presence.protocol.Identifiers;
import dev.presence.protocol.StateRules;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.internal.UndecodableFrame;
import dev.presence.server.session.Session;
import dev.presence.server.session.SessionEnd;

/**
 * Validates and dispatches the frames of an open session. Every non-fatal problem becomes a
 * {@code ProtocolError} and the session goes on (PRS-ERR-1), checked in the order of PRS-ERR-6; errors
 * answering subscribe and unsubscribe carry the subscription id when it is valid (PRS-ERR-8). Messages never
 * quote a state (PRS-PRV-2).
 */
final class FrameHandler {
  private final Room room;
  private final ServerConfig config;
  private final ScopeChanges scopes;

  FrameHandler(Room room, ServerConfig config) {
    this.room = room;
    this.config = config;
    this.scopes = new ScopeChanges(room);
  }

  /**
   * Frames that deliver states as tagged events must not overtake a pending member_joined, or a client
   * would see presence of a user it does not know is in the room (PRS-MEM-3).
   */
  boolean mustWaitForMembership(Session session, ConnectRequest frame) {
    ConnectRequest.FrameCase kind = frame.getFrameCase();
    return (kind == ConnectRequest.FrameCase.SUBSCRIBE || kind == ConnectRequest.FrameCase.FOLLOW)
        && session.outbox().hasPendingMembership();
  }

  void handle(Session session, ConnectRequest frame) {
    long requestId = frame.getRequestId();
    switch (frame.getFrameCase()) {
      case OPEN:
        error(session, ErrorReason.ERROR_REASON_ALREADY_OPEN, "the session is already open", requestId, "");
        break;
      case UPDATE_STATE:
        updateState(session, frame);
        break;
      case CLEAR_STATE:
        room.clearState(session);
        break;
      case SUBSCRIBE:
        subscribe(session, frame.getSubscribe(), requestId);
        break;
      case UNSUBSCRIBE:
        unsubscribe(session, frame.getUnsubscribe().getSubscriptionId(), requestId);
        break;
      case FOLLOW:
        follow(session, frame.getFollow().getUserId(), requestId);
        break;
      case UNFOLLOW:
        unfollow(session, frame.getUnfollow().getUserId(), requestId);
        break;
      case LEAVE:
        room.end(session, SessionEnd.LEAVE, null);
        break;
      case PING:
        session.send(ConnectResponse.newBuilder()
            .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce()))
            .build());
        break;
      case PONG:
        session.pongReceived(frame.getPong().getNonce());
        break;
      default:
        if (frame == UndecodableFrame.MALFORMED) {
          error(session, ErrorReason.ERROR_REASON_MALFORMED_FRAME, "the frame is not a ConnectRequest", 0, "");
        } else {
          error(session, ErrorReason.ERROR_REASON_UNSUPPORTED_FRAME, "frame kind not supported", requestId, "");
        }
    }
  }

  /** Checks in the order of PRS-ERR-6; a refused state leaves the previous one in place. */
  private void updateState(Session session, ConnectRequest frame) {
    long requestId = frame.getRequestId();
    if (!frame.getUpdateState().hasState()) {
      error(session, ErrorReason.ERROR_REASON_STATE_MISSING, "update_state needs a state", requestId, "");
      return;
    }
    Struct state = frame.getUpdateState().getState();
    StateRules.Shape shape = StateRules.inspect(state, config.maxStateDepth());
    if (shape.tooDeep()) {
      error(session, ErrorReason.ERROR_REASON_STATE_TOO_DEEP,
          "state nests deeper than " + config.maxStateDepth() + " levels", requestId, "");
      return;
    }
    if (shape.invalidValue().isPresent()) {
      error(session, ErrorReason.ERROR_REASON_INVALID_STATE,
          "state holds a value without kind, a non-finite number or invalid UTF-8", requestId, "");
      return;
    }
    if (shape.unknownFields()) {
      state = StateRules.withoutUnknownFields(state);
    }
    // Parsed, the state re-encodes canonically, whatever order or duplicates the sender wrote (PRS-STA-3).
    EncodedState accepted = EncodedState.of(state);
    if (accepted.size() > config.maxStateBytes()) {
      error(session, ErrorReason.ERROR_REASON_STATE_TOO_LARGE,
          "state is " + accepted.size() + " bytes; the limit is " + config.maxStateBytes(), requestId, "");
      return;
    }
    room.updateState(session, accepted);
  }

  private void subscribe(Session session, Subscribe subscribe, long requestId) {
    String subscriptionId = subscribe.getSubscriptionId();
    if (!Identifiers.isValidSubscriptionId(subscriptionId)) {
      error(session, ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID,
          "subscription_id must match [A-Za-z0-9._:~-]{1,64}", requestId, "");
      return;
    }
    SyncTarget target = subscribe.getTarget();
    if (!subscribe.hasTarget() || target.getKindCase() == SyncTarget.KindCase.KIND_NOT_SET) {
      error(session, ErrorReason.ERROR_REASON_TARGET_MISSING, "subscribe needs a target", requestId, subscriptionId);
      return;
    }
    if (target.getKindCase() == SyncTarget.KindCase.USER_ID && !Identifiers.isValidUserId(target.getUserId())) {
      error(session, ErrorReason.ERROR_REASON_INVALID_USER_ID, "target user_id is not a valid user id", requestId,
          subscriptionId);
      return;
    }
    if (session.subscriptions().get(subscriptionId) == null
        && session.subscriptions().size() >= config.maxSubscriptions()) {
      error(session, ErrorReason.ERROR_REASON_TOO_MANY_SUBSCRIPTIONS,
          "at most " + config.maxSubscriptions() + " subscriptions", requestId, subscriptionId);
      return;
    }
    scopes.subscribe(session, subscriptionId, target, requestId);
  }

  private void unsubscribe(Session session, String subscriptionId, long requestId) {
    if (!Identifiers.isValidSubscriptionId(subscriptionId)) {
      error(session, ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID,
          "subscription_id must match [A-Za-z0-9._:~-]{1,64}", requestId, "");
      return;
    }
    if (session.subscriptions().get(subscriptionId) == null) {
      error(session, ErrorReason.ERROR_REASON_UNKNOWN_SUBSCRIPTION, "no such subscription", requestId,
          subscriptionId);
      return;
    }
    scopes.unsubscribe(session, subscriptionId, requestId);
  }

  private boolean validFollowRequest(Session session, String userId, long requestId) {
    if (requestId == 0) {
      error(session, ErrorReason.ERROR_REASON_REQUEST_ID_MISSING, "follow and unfollow need a request_id", 0, "");
      return false;
    }
    if (!Identifiers.isValidUserId(userId)) {
      error(session, ErrorReason.ERROR_REASON_INVALID_USER_ID, "user_id is not a valid user id", requestId, "");
      return false;
    }
    return true;
  }

  private void follow(Session session, String userId, long requestId) {
    if (!validFollowRequest(session, userId, requestId)) {
      return;
    }
    if (!session.subscriptions().follows(userId) && session.subscriptions().followCount() >= config.maxFollows()) {
      error(session, ErrorReason.ERROR_REASON_TOO_MANY_FOLLOWS, "at most " + config.maxFollows() + " follows",
          requestId, "");
      return;
    }
    scopes.follow(session, userId, requestId);
  }

  private void unfollow(Session session, String userId, long requestId) {
    if (validFollowRequest(session, userId, requestId)) {
      scopes.unfollow(session, userId, requestId);
    }
  }

  private void error(Session session, ErrorReason reason, String message, long requestId,
      String subscriptionId) {
    room.metrics().protocolError(reason);
    session.send(Responses.error(reason, message, requestId, subscriptionId));
  }
}
