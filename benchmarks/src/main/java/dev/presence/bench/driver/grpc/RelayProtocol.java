package dev.presence.bench.driver.grpc;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.relay.CeilingRelay;
import dev.presence.protocol.v1.ConnectResponse;
import io.grpc.MethodDescriptor;
import java.nio.charset.StandardCharsets;

/**
 * The ceiling relay's protocol: the room id, then opaque events. The relay answers the join with
 * {@code opened} once the session is a member, so a ready session receives every event the relay handles
 * from then on.
 */
final class RelayProtocol implements SessionProtocol {
  @Override
  public MethodDescriptor<byte[], byte[]> method() {
    return CeilingRelay.CONNECT;
  }

  @Override
  public void begin(GrpcSession session, String roomId, int user) {
    session.write(roomId.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void onControl(GrpcSession session, ConnectResponse frame) {
    if (frame.hasOpened()) {
      session.ready();
    } else {
      session.fail("unexpected frame " + frame.getFrameCase());
    }
  }

  @Override
  public byte[] encode(CursorState state) {
    return StateEncoder.presenceEvent(state);
  }
}
