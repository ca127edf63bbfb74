package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.frames.FrameProtocol;
import dev.presence.bench.driver.frames.PresenceProtocol;
import java.util.List;

/**
 * Drives the reference presence.v1 server over its WebSocket binding: a connection to
 * {@code /presence.v1} offering the subprotocol {@code presence.v1} and no credentials (the server runs
 * in auth mode {@code none}), then the same {@link PresenceProtocol} the gRPC binding's driver speaks,
 * one frame per binary message. The connections are the same JDK WebSocket clients the y-websocket and
 * Socket.IO drivers use, so the three compare like for like on the client side.
 */
public final class PresenceWsDriver extends WebSocketDriver {
  /** The path of presence.v1 on a server's WebSocket port (PRS-WS-1). */
  public static final String PATH = "/presence.v1";
  /** The subprotocol every session offers and the server selects (PRS-WS-3). */
  public static final String SUBPROTOCOL = "presence.v1";

  private final FrameProtocol protocol = new PresenceProtocol();

  /**
   * @param host the server's host name or address
   * @param port the server's WebSocket port
   */
  public PresenceWsDriver(String host, int port) {
    super(host, port, "presence-ws");
  }

  @Override
  String pathAndQuery(String roomId) {
    return PATH;
  }

  @Override
  List<String> subprotocols() {
    return List.of(SUBPROTOCOL);
  }

  @Override
  WebSocketSession newSession(String roomId, int user, Receiver receiver, WebSocketConnector connector) {
    return new PresenceWsSession(protocol, roomId, user, receiver, connector);
  }
}
