package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.Receiver;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One user's Socket.IO connection, in the room its handshake named. The server broadcasts each
 * {@code cursor} event to the room, this socket included.
 */
final class SocketIoSession extends WebSocketSession {
  private final StringBuilder sendScratch = new StringBuilder(128);
  private final CursorFields fields = new CursorFields();

  SocketIoSession(Receiver receiver, WebSocketConnector connector) {
    super(receiver, connector);
  }

  @Override
  public void send(CursorState state) {
    sendText(SocketIoCodec.encodeCursor(sendScratch, state));
  }

  @Override
  void onTextMessage(CharSequence frame) {
    switch (SocketIoCodec.parse(frame, fields)) {
      case CURSOR -> receiver.onState(fields.user, fields.seq, fields.sentAtNanos);
      case PING -> sendText(SocketIoCodec.pong(frame));
      case OPEN -> sendText(SocketIoCodec.CONNECT);
      case CONNECTED -> markReady();
      case CONNECT_ERROR -> {
        failReady(new IOException("Socket.IO refused the connection to the default namespace"));
        close();
      }
      case DISCONNECTED -> endedByServer("Socket.IO disconnect");
      case CLOSE -> endedByServer("Engine.IO close");
      case OTHER -> { }
    }
  }

  @Override
  void onBinaryMessage(ByteBuffer message) {
    throw new IllegalArgumentException("Socket.IO: unexpected binary message");
  }
}
