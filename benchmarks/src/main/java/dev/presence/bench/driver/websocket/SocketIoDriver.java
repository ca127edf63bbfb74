package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.Receiver;

/**
 * Talks to a Socket.IO 4 server over Engine.IO 4's WebSocket transport, without HTTP long-polling. The room
 * is the handshake's {@code room} query parameter; each cursor is a {@code cursor} event carrying
 * {@code {"u":..,"x":..,"y":..,"seq":..,"ts":..}}. A session is ready once the default namespace has
 * acknowledged the connect ({@code 40{...}}), by which time the server has put the socket in its room.
 */
public final class SocketIoDriver extends WebSocketDriver {
  /**
   * @param host the server's host name or address
   * @param port the server's port
   */
  public SocketIoDriver(String host, int port) {
    super(host, port, "socket.io");
  }

  @Override
  String pathAndQuery(String roomId) {
    return "/socket.io/?EIO=4&transport=websocket&room=" + urlEncoded(roomId);
  }

  @Override
  WebSocketSession newSession(String roomId, int user, Receiver receiver, WebSocketConnector connector) {
    return new SocketIoSession(receiver, connector);
  }
}
