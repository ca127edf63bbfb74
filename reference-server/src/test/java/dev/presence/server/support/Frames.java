package dev.presence.server.support;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ClearState;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.FollowedUsers;
import dev.presence.protocol.v1.Leave;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.Unfollow;
import dev.presence.protocol.v1.Unsubscribe;
import dev.presence.protocol.v1.UpdateState;

/** Builders for client frames, so tests read like protocol traces. */
public final class Frames {
  private Frames() {}

  public static ConnectRequest open(String room, String user, Capability... capabilities) {
    Open.Builder open = Open.newBuilder()
        .setRoomId(room)
        .setProtocolVersion(1)
        .setDevUserId(user)
        .setDevDisplayName(user.toUpperCase())
        .setClientAgent("presence-server-tests");
    for (Capability c : capabilities) {
      open.addCapabilities(c);
    }
    return ConnectRequest.newBuilder().setOpen(open).build();
  }

  public static Struct state(String key, double value) {
    return Struct.newBuilder().putFields(key, Value.newBuilder().setNumberValue(value).build()).build();
  }

  /** @return {@code {x, pad}}: a position padded to a size, for tests that fill buffers */
  public static Struct paddedState(int x, String pad) {
    return Struct.newBuilder()
        .putFields("x", Value.newBuilder().setNumberValue(x).build())
        .putFields("pad", Value.newBuilder().setStringValue(pad).build())
        .build();
  }

  public static ConnectRequest update(Struct state) {
    return ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(state)).build();
  }

  public static ConnectRequest update(double x) {
    return update(state("x", x));
  }

  public static ConnectRequest clear() {
    return ConnectRequest.newBuilder().setClearState(ClearState.getDefaultInstance()).build();
  }

  public static SyncTarget all() {
    return SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()).build();
  }

  public static SyncTarget following() {
    return SyncTarget.newBuilder().setFollowedUsers(FollowedUsers.getDefaultInstance()).build();
  }

  public static SyncTarget user(String userId) {
    return SyncTarget.newBuilder().setUserId(userId).build();
  }

  public static ConnectRequest subscribe(long requestId, String id, SyncTarget target) {
    return ConnectRequest.newBuilder()
        .setRequestId(requestId)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId(id).setTarget(target))
        .build();
  }

  public static ConnectRequest unsubscribe(long requestId, String id) {
    return ConnectRequest.newBuilder()
        .setRequestId(requestId)
        .setUnsubscribe(Unsubscribe.newBuilder().setSubscriptionId(id))
        .build();
  }

  public static ConnectRequest follow(long requestId, String userId) {
    return ConnectRequest.newBuilder().setRequestId(requestId).setFollow(Follow.newBuilder().setUserId(userId)).build();
  }

  public static ConnectRequest unfollow(long requestId, String userId) {
    return ConnectRequest.newBuilder()
        .setRequestId(requestId)
        .setUnfollow(Unfollow.newBuilder().setUserId(userId))
        .build();
  }

  public static ConnectRequest leave() {
    return ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build();
  }

  public static ConnectRequest ping(long nonce) {
    return ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build();
  }
}
