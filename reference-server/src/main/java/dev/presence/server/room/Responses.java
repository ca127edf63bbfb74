package dev.presence.server.room;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.Ack;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.ProtocolError;
import dev.presence.protocol.v1.SnapshotComplete;

/** Builders for the response frames a room sends outside the live fan-out. */
final class Responses {
  private Responses() {}

  static ConnectResponse error(ErrorReason reason, String message, long requestId, String subscriptionId) {
    return ConnectResponse.newBuilder()
        .setError(ProtocolError.newBuilder()
            .setReason(reason)
            .setMessage(message)
            .setRequestId(requestId)
            .setSubscriptionId(subscriptionId))
        .build();
  }

  static ConnectResponse ack(long requestId) {
    return ConnectResponse.newBuilder().setAck(Ack.newBuilder().setRequestId(requestId)).build();
  }

  static ConnectResponse snapshotComplete(String subscriptionId, long requestId) {
    return ConnectResponse.newBuilder()
        .setSnapshotComplete(SnapshotComplete.newBuilder()
            .setSubscriptionId(subscriptionId)
            .setRequestId(requestId))
        .build();
  }

  static ConnectResponse batch(PresenceBatch batch) {
    return ConnectResponse.newBuilder().setPresence(batch).build();
  }

  static PresenceEvent taggedState(String userId, Struct state, Iterable<String> subscriptionIds) {
    return PresenceEvent.newBuilder()
        .setUserId(userId)
        .setState(state)
        .addAllSubscriptionIds(subscriptionIds)
        .build();
  }

  static PresenceEvent taggedOutOfScope(String userId, Iterable<String> subscriptionIds) {
    return PresenceEvent.newBuilder()
        .setUserId(userId)
        .setNullReason(NullReason.NULL_REASON_OUT_OF_SCOPE)
        .addAllSubscriptionIds(subscriptionIds)
        .build();
  }
}
