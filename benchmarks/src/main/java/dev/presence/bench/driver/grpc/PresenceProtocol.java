package dev.presence.bench.driver.grpc;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.wire.RawBytes;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import io.grpc.MethodDescriptor;

/**
 * presence.v1 as the load generator needs it: open in the insecure development mode as {@code u<user>},
 * subscribe to every user, and the session is ready once that snapshot is complete.
 */
final class PresenceProtocol implements SessionProtocol {
  private static final MethodDescriptor<byte[], byte[]> CONNECT =
      RawBytes.bidiStreaming(PresenceServiceGrpc.getConnectMethod().getFullMethodName());
  private static final long SUBSCRIBE_REQUEST_ID = 1;
  private static final String SUBSCRIPTION_ID = "all";
  private static final byte[] SUBSCRIBE_ALL = ConnectRequest.newBuilder()
      .setRequestId(SUBSCRIBE_REQUEST_ID)
      .setSubscribe(Subscribe.newBuilder()
          .setSubscriptionId(SUBSCRIPTION_ID)
          .setTarget(SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance())))
      .build()
      .toByteArray();

  @Override
  public MethodDescriptor<byte[], byte[]> method() {
    return CONNECT;
  }

  @Override
  public void begin(GrpcSession session, String roomId, int user) {
    session.write(ConnectRequest.newBuilder()
        .setOpen(Open.newBuilder()
            .setRoomId(roomId)
            .setProtocolVersion(1)
            .setDevUserId(StateEncoder.userId(user))
            .setClientAgent("presence-bench"))
        .build()
        .toByteArray());
  }

  @Override
  public void onControl(GrpcSession session, ConnectResponse frame) {
    switch (frame.getFrameCase()) {
      case OPENED:
        session.write(SUBSCRIBE_ALL);
        break;
      case SNAPSHOT_COMPLETE:
        if (frame.getSnapshotComplete().getRequestId() == SUBSCRIBE_REQUEST_ID) {
          session.ready();
        }
        break;
      case PING:
        session.write(ConnectRequest.newBuilder()
            .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce()))
            .build()
            .toByteArray());
        break;
      case ERROR:
        session.fail("protocol error " + frame.getError().getReason());
        break;
      default:
        // Membership changes, acks and pongs carry nothing the load generator measures.
        break;
    }
  }

  @Override
  public byte[] encode(CursorState state) {
    return StateEncoder.updateState(state);
  }
}
