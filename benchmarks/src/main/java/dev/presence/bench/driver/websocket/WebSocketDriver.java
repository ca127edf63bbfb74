package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.UserSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What every WebSocket driver shares: the server's address, the connector and its fault counts. A
 * protocol adds only its URL, its subprotocols and the session that speaks it.
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

  /** @param roomId the room id @return the path and query of the session's URL, already encoded */
  abstract String pathAndQuery(String roomId);

  /** @return the subprotocols the opening handshake offers, most preferred first; none by default */
  List<String> subprotocols() {
    return List.of();
  }

  /** @return a session for one user, not yet connected */
  abstract WebSocketSession newSession(String roomId, int user, Receiver receiver, WebSocketConnector connector);

  @Override
  public final CompletableFuture<UserSession> open(String roomId, int user, Receiver receiver) {
    return connector.connect(WebSocketConnector.uri(host, port, pathAndQuery(roomId)), subprotocols(),
        newSession(roomId, user, receiver, connector));
  }

  /** @param s a room id or other text @return it encoded for a URL's path or query */
  static String urlEncoded(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
