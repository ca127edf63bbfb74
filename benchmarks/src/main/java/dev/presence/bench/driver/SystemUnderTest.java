package dev.presence.bench.driver;

/**
 * The systems the suite compares, each with the driver that speaks its protocol: the gRPC systems first,
 * then the WebSocket ones.
 */
public enum SystemUnderTest {
  /** The reference presence.v1 server over its gRPC binding. */
  PRESENCE("presence"),
  /** The ceiling: a gRPC relay forwarding each message to every member at once. */
  RELAY_PER_MESSAGE("relay-per-message"),
  /** The ceiling: a gRPC relay forwarding the latest message per sender once per 50 ms tick. */
  RELAY_COALESCED("relay-coalesced"),
  /** The reference presence.v1 server over its WebSocket binding, in the same process as {@link #PRESENCE}. */
  PRESENCE_WS("presence-ws"),
  /** A y-websocket server relaying Yjs awareness updates. */
  Y_WEBSOCKET("y-websocket"),
  /** A Socket.IO server broadcasting to a room. */
  SOCKET_IO("socket.io"),
  /**
   * Reference server nodes in cluster mode on one Redis, the sessions spread over the nodes; measured in
   * its own experiment next to a single {@link #PRESENCE} node, not in the room-size matrix.
   */
  PRESENCE_CLUSTER("presence-cluster");

  private final String label;

  SystemUnderTest(String label) {
    this.label = label;
  }

  /** @return the name used in commands and reports */
  public String label() {
    return label;
  }

  /** @param label a name from {@link #label()} @return the system */
  public static SystemUnderTest ofLabel(String label) {
    for (SystemUnderTest s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown system '" + label + "'");
  }
}
