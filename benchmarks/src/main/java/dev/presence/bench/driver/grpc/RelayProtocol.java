package dev.presence.bench.driver.grpc;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.frames.FrameLink;
import dev.presence.bench.driver.frames.FrameProtocol;
import dev.presence.bench.driver.frames.StateEncoder;
import dev.presence.protocol.v1.ConnectResponse;
import java.nio.charset.StandardCharsets;

/**
 * The ceiling relay's protocol: the room id, then opaque events. The relay answers the join with
 * {@code opened} once the session is a member, so a ready session receives every event the relay handles
 * from then on.
 */
final class RelayProtocol implements FrameProtocol {
  @Override
  public void begin(FrameLink link, String roomId, int user) {
    link.write(roomId.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void onControl(FrameLink link, ConnectResponse frame) {
    if (frame.hasOpened()) {
      link.markReady();
    } else {
      link.fail("unexpected frame " + frame.getFrameCase());
    }
  }

  @Override
  public byte[] encode(CursorState state) {
    return StateEncoder.presenceEvent(state);
  }
}
