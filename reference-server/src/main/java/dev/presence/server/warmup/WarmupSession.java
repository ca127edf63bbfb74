package dev.presence.server.warmup;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.UpdateState;

/**
 * One warm-up user: opens, subscribes to everyone, answers pings, sends cursor states that carry their send time,
 * and records how late the other users' states arrive. The binding supplies {@link #write}, which must accept
 * calls from the sender's thread and the receiving thread alike.
 */
abstract class WarmupSession {
  static final String SENT_AT = "sent_at";

  private final String roomId;
  private final String userId;
  private final LatenessSlices lateness;
  private volatile boolean subscribed;

  WarmupSession(String roomId, String userId, LatenessSlices lateness) {
    this.roomId = roomId;
    this.userId = userId;
    this.lateness = lateness;
  }

  /** @param frame the next frame to the server; dropped if the binding cannot take it now */
  abstract void write(ConnectRequest frame);

  /** Ends the session and its connection. */
  abstract void close();

  final void open() {
    write(ConnectRequest.newBuilder().setOpen(Open.newBuilder().setRoomId(roomId).setProtocolVersion(1)
        .addCapabilities(Capability.CAPABILITY_PING).setDevUserId(userId)).build());
  }

  /** @param x where the cursor is @param nowMillis the warm-up's clock, carried in the state */
  final void sendState(double x, double nowMillis) {
    if (!subscribed) {
      return;
    }
    Struct state = Struct.newBuilder()
        .putFields("x", Value.newBuilder().setNumberValue(x).build())
        .putFields("y", Value.newBuilder().setNumberValue(x / 2).build())
        .putFields(SENT_AT, Value.newBuilder().setNumberValue(nowMillis).build())
        .build();
    write(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(state)).build());
  }

  final void onFrame(ConnectResponse frame) {
    switch (frame.getFrameCase()) {
      case OPENED -> write(ConnectRequest.newBuilder().setSubscribe(Subscribe.newBuilder().setSubscriptionId("all")
          .setTarget(SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()))).build());
      case SNAPSHOT_COMPLETE -> subscribed = true;
      case PING -> write(ConnectRequest.newBuilder()
          .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce())).build());
      case PRESENCE -> recordLateness(frame);
      default -> { }
    }
  }

  private void recordLateness(ConnectResponse frame) {
    double now = Warmup.nowMillis();
    for (PresenceEvent e : frame.getPresence().getEventsList()) {
      Value sentAt = e.getState().getFieldsMap().get(SENT_AT);
      if (sentAt != null && !e.getUserId().equals(userId)) {
        lateness.record(now - sentAt.getNumberValue());
      }
    }
  }
}
