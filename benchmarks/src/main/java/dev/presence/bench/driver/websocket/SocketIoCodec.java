package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.CursorState;

/**
 * The text frames of Socket.IO (protocol 5) over Engine.IO 4 on a WebSocket, in the default namespace. An
 * Engine.IO packet is a type digit and a payload; type 4 ({@code message}) carries a Socket.IO packet, again
 * a type digit and a payload, so a {@code cursor} event arrives as {@code 42["cursor",{...}]}.
 */
final class SocketIoCodec {
  /** What one frame from the server is. */
  enum Packet {
    /** Engine.IO {@code 0{...}}: the handshake; the client answers {@link #CONNECT}. */
    OPEN,
    /** Engine.IO {@code 1}: the server closes the transport. */
    CLOSE,
    /** Engine.IO {@code 2}: a heartbeat the client must answer with {@link #pong}. */
    PING,
    /** Socket.IO {@code 40{...}}: the default namespace accepted the client. */
    CONNECTED,
    /** Socket.IO {@code 44{...}}: the default namespace refused the client. */
    CONNECT_ERROR,
    /** Socket.IO {@code 41}: the server disconnected the client from the namespace. */
    DISCONNECTED,
    /** Socket.IO {@code 42["cursor",{...}]}: a cursor state, decoded into the caller's fields. */
    CURSOR,
    /** Anything else that is well-formed: other events, namespaces, acks, noops. */
    OTHER
  }

  /** Engine.IO message carrying a Socket.IO connect to the default namespace. */
  static final String CONNECT = "40";

  private static final String CURSOR_EVENT_PREFIX = "42[\"cursor\",";
  private static final String CURSOR_EVENT_NAME = "\"cursor\"";

  private SocketIoCodec() {}

  /**
   * @param out receives the cursor's fields when the frame is {@link Packet#CURSOR}
   * @throws IllegalArgumentException if the frame is not a valid packet or the cursor event is malformed
   */
  static Packet parse(CharSequence frame, CursorFields out) {
    if (frame.length() == 0) {
      throw new IllegalArgumentException("Engine.IO: empty frame");
    }
    char type = frame.charAt(0);
    return switch (type) {
      case '0' -> Packet.OPEN;
      case '1' -> Packet.CLOSE;
      case '2' -> Packet.PING;
      case '3', '5', '6' -> Packet.OTHER;
      case '4' -> parseSocketIo(frame, out);
      default -> throw new IllegalArgumentException("Engine.IO: unknown packet type '" + type + "'");
    };
  }

  /** @return the Engine.IO pong answering a ping frame, echoing its payload as the protocol asks */
  static String pong(CharSequence ping) {
    return ping.length() == 1 ? "3" : "3" + ping.subSequence(1, ping.length());
  }

  static String encodeCursor(StringBuilder scratch, CursorState state) {
    scratch.setLength(0);
    scratch.append(CURSOR_EVENT_PREFIX);
    CursorJson.write(scratch, state);
    return scratch.append(']').toString();
  }

  private static Packet parseSocketIo(CharSequence frame, CursorFields out) {
    if (frame.length() < 2) {
      throw new IllegalArgumentException("Socket.IO: empty packet");
    }
    boolean defaultNamespace = frame.length() == 2 || frame.charAt(2) != '/';
    char type = frame.charAt(1);
    return switch (type) {
      case '0' -> defaultNamespace ? Packet.CONNECTED : Packet.OTHER;
      case '1' -> defaultNamespace ? Packet.DISCONNECTED : Packet.OTHER;
      case '4' -> defaultNamespace ? Packet.CONNECT_ERROR : Packet.OTHER;
      case '2' -> defaultNamespace ? parseEvent(frame, out) : Packet.OTHER;
      case '3', '5', '6' -> Packet.OTHER;
      default -> throw new IllegalArgumentException("Socket.IO: unknown packet type '" + type + "'");
    };
  }

  private static Packet parseEvent(CharSequence frame, CursorFields out) {
    int length = frame.length();
    int i = 2;
    while (i < length && frame.charAt(i) >= '0' && frame.charAt(i) <= '9') {
      i++; // an ack id, which this client never asks for, but the event is still an event
    }
    if (i >= length || frame.charAt(i) != '[') {
      throw new IllegalArgumentException("Socket.IO: event without an argument array");
    }
    i++;
    if (!regionMatches(frame, i, CURSOR_EVENT_NAME)) {
      return Packet.OTHER;
    }
    i += CURSOR_EVENT_NAME.length();
    if (i >= length || frame.charAt(i) != ',') {
      throw new IllegalArgumentException("Socket.IO: cursor event without a payload");
    }
    i = CursorJson.read(frame, i + 1, length, out);
    if (i != length - 1 || frame.charAt(i) != ']') {
      throw new IllegalArgumentException("Socket.IO: cursor event has more than one argument or is not closed");
    }
    if (!out.has(CursorFields.USER)) {
      throw new IllegalArgumentException("Socket.IO: cursor event without 'u'");
    }
    return Packet.CURSOR;
  }

  private static boolean regionMatches(CharSequence text, int from, String expected) {
    if (text.length() - from < expected.length()) {
      return false;
    }
    for (int k = 0; k < expected.length(); k++) {
      if (text.charAt(from + k) != expected.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
