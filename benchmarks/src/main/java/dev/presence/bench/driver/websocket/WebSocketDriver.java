package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.UserSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What every WebSocket driver shares: the server's address, the connector and its fault counts. A
 * protocol adds only where a room lives in the URL and the session that speaks it.
 */
abstract class WebSocketDriver implements Driver {
  private final String host;
  private final int port;
  private final WebSocketConnector connector;

  WebSocketDriver(String host, int port, String system) {
    this.host = host;
    this.port = port;
    this.connector = new WebSocketConnector(system);
  }

  /** @param encodedRoomId the room id, URL-encoded @return the path and query that join that room */
  abstract String pathAndQuery(String encodedRoomId);

  /** @return a session for one user, not yet connected */
  abstract WebSocketSession newSession(Receiver receiver, WebSocketConnector connector);

  @Override
  public final CompletableFuture<UserSession> open(String roomId, int user, Receiver receiver) {
    String path = pathAndQuery(URLEncoder.encode(roomId, StandardCharsets.UTF_8));
    return connector.connect(WebSocketConnector.uri(host, port, path), newSession(receiver, connector));
  }

  @Override
  public final Map<String, Long> faults() {
    return connector.faults().snapshot();
  }

  @Override
  public final void close() {
    connector.faults().closing();
    connector.close();
  }
}
