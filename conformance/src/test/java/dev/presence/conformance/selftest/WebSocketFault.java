package dev.presence.conformance.selftest;

/**
 * A deliberate departure from the WebSocket binding of SPEC.md §2.2 that {@link FaultyWebSocketProxy} adds in front
 * of a correct server, and the requirement the kit must charge it to.
 */
enum WebSocketFault {
  /** Every session_end is dropped, so that a session ends with a bare Close frame. */
  NO_SESSION_END("PRS-WS-10"),
  /** Every Close frame from the server carries its code plus one: 1001 for OK, 4004 for INVALID_ARGUMENT. */
  CLOSE_CODE_OFF_BY_ONE("PRS-WS-10"),
  /** A handshake that offers extensions gets permessage-deflate accepted. */
  EXTENSION_ACCEPTED("PRS-WS-9"),
  /** The response repeats every Sec-WebSocket-Protocol entry offered, the bearer entry among them. */
  TOKEN_ECHOED("PRS-WS-7");

  private final String requirementId;

  WebSocketFault(String requirementId) {
    this.requirementId = requirementId;
  }

  /** The requirement the kit must fail for this fault. */
  String requirementId() {
    return requirementId;
  }
}
