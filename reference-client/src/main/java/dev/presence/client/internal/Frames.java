package dev.presence.client.internal;

import com.google.protobuf.Struct;
import dev.presence.client.NullReason;
import dev.presence.client.SyncTarget;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ClearState;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.FollowedUsers;
import dev.presence.protocol.v1.Leave;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.Unfollow;
import dev.presence.protocol.v1.Unsubscribe;
import dev.presence.protocol.v1.UpdateState;

/** Translation between the API's types and presence.v1 frames; no state, no decisions. */
final class Frames {
  private Frames() {}

  static ConnectRequest open(ClientConfig config) {
    Open.Builder open = Open.newBuilder()
        .setRoomId(config.roomId())
        .setProtocolVersion(1)
        .addCapabilities(Capability.CAPABILITY_PING)
        .addCapabilities(Capability.CAPABILITY_DRAIN)
        .setClientAgent(config.clientAgent());
    if (config.devUserId() != null) {
      open.setDevUserId(config.devUserId()).setDevDisplayName(config.devDisplayName());
    }
    return ConnectRequest.newBuilder().setOpen(open).build();
  }

  static ConnectRequest updateState(Struct state) {
    return ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(state)).build();
  }

  static ConnectRequest clearState() {
    return ConnectRequest.newBuilder().setClearState(ClearState.getDefaultInstance()).build();
  }

  static ConnectRequest subscribe(long requestId, String subscriptionId, SyncTarget target) {
    return ConnectRequest.newBuilder()
        .setRequestId(requestId)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId(subscriptionId).setTarget(toWire(target)))
        .build();
  }

  static ConnectRequest unsubscribe(String subscriptionId) {
    return ConnectRequest.newBuilder()
        .setUnsubscribe(Unsubscribe.newBuilder().setSubscriptionId(subscriptionId)).build();
  }

  static ConnectRequest follow(long requestId, String userId, boolean follow) {
    ConnectRequest.Builder b = ConnectRequest.newBuilder().setRequestId(requestId);
    if (follow) {
      b.setFollow(Follow.newBuilder().setUserId(userId));
    } else {
      b.setUnfollow(Unfollow.newBuilder().setUserId(userId));
    }
    return b.build();
  }

  static ConnectRequest leave() {
    return ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build();
  }

  static ConnectRequest ping(long nonce) {
    return ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build();
  }

  static ConnectRequest pong(long nonce) {
    return ConnectRequest.newBuilder().setPong(Pong.newBuilder().setNonce(nonce)).build();
  }

  static dev.presence.protocol.v1.SyncTarget toWire(SyncTarget t) {
    return switch (t.kind()) {
      case ALL -> dev.presence.protocol.v1.SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()).build();
      case FOLLOWING -> dev.presence.protocol.v1.SyncTarget.newBuilder()
          .setFollowedUsers(FollowedUsers.getDefaultInstance()).build();
      case USER -> dev.presence.protocol.v1.SyncTarget.newBuilder().setUserId(t.userId()).build();
    };
  }

  static NullReason toReason(dev.presence.protocol.v1.NullReason r) {
    // PRS-EVO-4: a reason this client does not know is still a null.
    return switch (r) {
      case NULL_REASON_LEFT -> NullReason.LEFT;
      case NULL_REASON_CLEARED -> NullReason.CLEARED;
      case NULL_REASON_TIMED_OUT -> NullReason.TIMED_OUT;
      case NULL_REASON_OUT_OF_SCOPE -> NullReason.OUT_OF_SCOPE;
      case NULL_REASON_REVOKED -> NullReason.REVOKED;
      default -> NullReason.UNKNOWN;
    };
  }
}
