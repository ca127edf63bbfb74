package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.UserSession;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Talks to a y-websocket server: each room is a Yjs document named by the URL path, each user's cursor its
 * awareness state, JSON {@code {"u":..,"x":..,"y":..,"seq":..,"ts":..}}, under a fresh clientID per session
 * as a Yjs client would have. A session is ready once the server has sent sync step 1, which it does after
 * registering the connection with the document; the driver never syncs document content, which presence
 * does not use.
 */
public final class YWebsocketDriver implements Driver {
  private final String host;
  private final int port;
  private final WebSocketConnector connector = new WebSocketConnector("y-websocket");

  /**
   * @param host the server's host name or address
   * @param port the server's port
   */
  public YWebsocketDriver(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public CompletableFuture<UserSession> open(String roomId, int user, Receiver receiver) {
    URI uri = WebSocketConnector.uri(host, port, "/" + URLEncoder.encode(roomId, StandardCharsets.UTF_8));
    return connector.connect(uri, new YWebsocketSession(receiver, connector));
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
