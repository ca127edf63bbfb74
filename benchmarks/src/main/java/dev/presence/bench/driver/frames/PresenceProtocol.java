package dev.presence.bench.driver.frames;

import dev.presence.bench.driver.CursorState;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.SessionEnd;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import io.grpc.Status;

/**
 * presence.v1 as the load generator needs it, on either binding: open in the insecure development mode as
 * {@code u<user>}, subscribe to every user, and the session is ready once that snapshot is complete.
 * Server pings are answered; a protocol error is a fault, and a {@code session_end} ends the session.
 */
public final class PresenceProtocol implements FrameProtocol {
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
  public void begin(FrameLink link, String roomId, int user) {
    link.write(ConnectRequest.newBuilder()
        .setOpen(Open.newBuilder()
            .setRoomId(roomId)
            .setProtocolVersion(1)
            .setDevUserId(StateEncoder.userId(user))
            .setClientAgent("presence-bench"))
        .build()
        .toByteArray());
  }

  @Override
  public void onControl(FrameLink link, ConnectResponse frame) {
    switch (frame.getFrameCase()) {
      case OPENED:
        link.write(SUBSCRIBE_ALL);
        break;
      case SNAPSHOT_COMPLETE:
        if (frame.getSnapshotComplete().getRequestId() == SUBSCRIBE_REQUEST_ID) {
          link.markReady();
        }
        break;
      case PING:
        link.write(ConnectRequest.newBuilder()
            .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce()))
            .build()
            .toByteArray());
        break;
      case ERROR:
        link.fail("protocol error " + frame.getError().getReason());
        break;
      case SESSION_END:
        link.endedByServer(endReason(frame.getSessionEnd()));
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

  /**
   * @param end how the server ended the session
   * @return its status code's name and its reason; the message is left out, being free text that would
   *     split one fault reason into many
   */
  static String endReason(SessionEnd end) {
    String code = Status.fromCodeValue(end.getCode()).getCode().name();
    return "session_end " + code + (end.getReason().isEmpty() ? "" : " " + end.getReason());
  }
}
