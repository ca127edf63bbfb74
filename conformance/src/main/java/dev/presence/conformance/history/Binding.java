package dev.presence.conformance.history;

/** The transport binding a session runs on (SPEC.md §2). */
public enum Binding {
  /** The bidirectional RPC {@code presence.v1.PresenceService/Connect} (§2.1). */
  GRPC("gRPC"),
  /** One WebSocket connection to {@code /presence.v1} (§2.2). */
  WEBSOCKET("WebSocket");

  private final String label;

  Binding(String label) {
    this.label = label;
  }

  /** Returns the binding's name as SPEC.md writes it. */
  public String label() {
    return label;
  }
}
