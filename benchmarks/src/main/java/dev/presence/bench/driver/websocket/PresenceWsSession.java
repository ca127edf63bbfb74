package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.frames.FrameLink;
import dev.presence.bench.driver.frames.FrameProtocol;
import dev.presence.bench.driver.frames.InboundFrames;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One presence.v1 session over the WebSocket binding: each frame one binary message (PRS-WS-4), the
 * protocol itself the same {@link FrameProtocol} the gRPC binding's driver runs.
 */
final class PresenceWsSession extends WebSocketSession implements FrameLink {
  private final FrameProtocol protocol;
  private final String roomId;
  private final int user;
  private final InboundFrames inbound;

  PresenceWsSession(FrameProtocol protocol, String roomId, int user, Receiver receiver,
      WebSocketConnector connector) {
    super(receiver, connector);
    this.protocol = protocol;
    this.roomId = roomId;
    this.user = user;
    this.inbound = new InboundFrames(protocol, this, receiver);
  }

  @Override
  void opened() {
    protocol.begin(this, roomId, user);
  }

  @Override
  public void send(CursorState state) {
    write(protocol.encode(state));
  }

  @Override
  public void write(byte[] frame) {
    sendBinary(ByteBuffer.wrap(frame));
  }

  @Override
  public void fail(String reason) {
    if (failReady(new IOException("session failed to open: " + reason))) {
      close();
    } else {
      faults.protocol(reason);
    }
  }

  @Override
  void onBinaryMessage(ByteBuffer message) {
    // The decoder reads a frame in place by its array offsets, as the gRPC driver's frames arrive.
    byte[] frame = new byte[message.remaining()];
    message.get(frame);
    inbound.accept(frame);
  }

  @Override
  void onTextMessage(CharSequence message) {
    throw new IllegalArgumentException("presence.v1: unexpected text message");
  }
}
