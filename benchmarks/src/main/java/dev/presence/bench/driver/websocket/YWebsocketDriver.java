package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.Receiver;

/**
 * Talks to a y-websocket server: each room is a Yjs document named by the URL path, each user's cursor its
 * awareness state, JSON {@code {"u":..,"x":..,"y":..,"seq":..,"ts":..}}, under a fresh clientID per session
 * as a Yjs client would have. A session is ready once the server has sent sync step 1, which it does after
 * registering the connection with the document; the driver never syncs document content, which presence
 * does not use.
 */
public final class YWebsocketDriver extends WebSocketDriver {
  /**
   * @param host the server's host name or address
   * @param port the server's port
   */
  public YWebsocketDriver(String host, int port) {
    super(host, port, "y-websocket");
  }

  @Override
  String pathAndQuery(String roomId) {
    return "/" + urlEncoded(roomId);
  }

  @Override
  WebSocketSession newSession(String roomId, int user, Receiver receiver, WebSocketConnector connector) {
    return new YWebsocketSession(receiver, connector);
  }
}
