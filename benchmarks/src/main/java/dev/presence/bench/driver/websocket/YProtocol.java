package dev.presence.bench.driver.websocket;

import java.nio.ByteBuffer;

/**
 * The part of the y-websocket protocol a presence client needs. Every binary message starts with a varUint
 * type; type 1 carries an awareness update, a varUint8Array of a varUint count followed by that many
 * entries (varUint clientID, varUint clock, varString JSON state or {@code "null"} for a client that left).
 */
final class YProtocol {
  static final int MESSAGE_SYNC = 0;
  static final int MESSAGE_AWARENESS = 1;

  /** One awareness entry, seen while {@link #readAwareness} walks an update. */
  interface AwarenessVisitor {
    /**
     * @param clientId the entry's client
     * @param clock the client's awareness clock
     * @param json the buffer holding the state, valid only during the call
     * @param jsonOffset the state's first byte in {@code json}
     * @param jsonLength the state's length in bytes; the text is {@code null} for a client that left
     */
    void onEntry(long clientId, long clock, ByteBuffer json, int jsonOffset, int jsonLength);
  }

  private YProtocol() {}

  /** Reads a message's type; the buffer is then positioned at its body. */
  static long readMessageType(ByteBuffer message) {
    return Lib0.readVarUint(message);
  }

  /**
   * Walks the awareness update that is the body of a type-1 message.
   *
   * @return the number of entries
   * @throws IllegalArgumentException if the update is truncated or has bytes after its last entry
   */
  static int readAwareness(ByteBuffer body, AwarenessVisitor visitor) {
    int updateLength = Lib0.readLength(body);
    int end = body.position() + updateLength;
    int messageLimit = body.limit();
    body.limit(end);
    long count;
    try {
      count = Lib0.readVarUint(body);
      if (count > updateLength) {
        throw new IllegalArgumentException("awareness update claims " + count + " entries in "
            + updateLength + " bytes");
      }
      for (int entry = 0; entry < count; entry++) {
        long clientId = Lib0.readVarUint(body);
        long clock = Lib0.readVarUint(body);
        int jsonLength = Lib0.readLength(body);
        int jsonOffset = body.position();
        visitor.onEntry(clientId, clock, body, jsonOffset, jsonLength);
        body.position(jsonOffset + jsonLength);
      }
      if (body.hasRemaining()) {
        throw new IllegalArgumentException("awareness update has " + body.remaining()
            + " bytes after its " + count + " entries");
      }
    } finally {
      body.limit(messageLimit);
      body.position(Math.min(end, messageLimit));
    }
    return (int) count;
  }

  /** @return whether a state's JSON text is {@code null}, the entry of a client that left */
  static boolean isNullState(ByteBuffer json, int offset, int length) {
    return length == 4 && json.get(offset) == 'n' && json.get(offset + 1) == 'u'
        && json.get(offset + 2) == 'l' && json.get(offset + 3) == 'l';
  }

  /** Encodes a type-1 message carrying one client's state. */
  static ByteBuffer encodeAwareness(long clientId, long clock, CharSequence asciiJson) {
    int jsonLength = asciiJson.length();
    int updateLength = Lib0.varUintSize(1) + Lib0.varUintSize(clientId) + Lib0.varUintSize(clock)
        + Lib0.varUintSize(jsonLength) + jsonLength;
    ByteBuffer message = ByteBuffer.allocate(
        Lib0.varUintSize(MESSAGE_AWARENESS) + Lib0.varUintSize(updateLength) + updateLength);
    Lib0.writeVarUint(message, MESSAGE_AWARENESS);
    Lib0.writeVarUint(message, updateLength);
    Lib0.writeVarUint(message, 1);
    Lib0.writeVarUint(message, clientId);
    Lib0.writeVarUint(message, clock);
    Lib0.writeAsciiVarString(message, asciiJson);
    return message.flip();
  }
}
