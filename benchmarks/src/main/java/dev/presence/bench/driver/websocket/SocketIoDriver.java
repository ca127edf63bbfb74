package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.UserSession;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Talks to a Socket.IO 4 server over Engine.IO 4's WebSocket transport, without HTTP long-polling. The room
 * is the handshake's {@code room} query parameter; each cursor is a {@code cursor} event carrying
 * {@code {"u":..,"x":..,"y":..,"seq":..,"ts":..}}. A session is ready once the default namespace has
 * acknowledged the connect ({@code 40{...}}), by which time the server has put the socket in its room.
 */
public final class SocketIoDriver implements Driver {
  private final String host;
  private final int port;
  private final WebSocketConnector connector = new WebSocketConnector("socket.io");

  /**
   * @param host the server's host name or address
   * @param port the server's port
   */
  public SocketIoDriver(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public CompletableFuture<UserSession> open(String roomId, int user, Receiver receiver) {
    URI uri = WebSocketConnector.uri(host, port, "/socket.io/?EIO=4&transport=websocket&room="
        + URLEncoder.encode(roomId, StandardCharsets.UTF_8));
    return connector.connect(uri, new SocketIoSession(receiver, connector));
  }

  /** @return the faults counted across this driver's sessions so far */
  public DriverFaults faults() {
    return connector.faults().snapshot();
  }

  @Override
  public void close() {
    connector.close();
  }
}
