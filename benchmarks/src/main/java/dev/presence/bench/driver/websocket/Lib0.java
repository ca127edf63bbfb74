package dev.presence.bench.driver.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * lib0's variable-length encodings, as y-protocols frames its messages: a varUint is 7 bits per byte, least
 * significant group first, the high bit set on every byte but the last; a varUint8Array or varString is a
 * varUint byte length followed by that many bytes (UTF-8 for a string). Reads advance the buffer's position
 * and throw {@link IllegalArgumentException} on truncated or oversized input.
 */
final class Lib0 {
  /** 9 groups of 7 bits hold every non-negative long; lib0 itself stops at 53 bits. */
  static final int MAX_VAR_UINT_BYTES = 9;

  private Lib0() {}

  static long readVarUint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 7 * MAX_VAR_UINT_BYTES; shift += 7) {
      if (!in.hasRemaining()) {
        throw new IllegalArgumentException("varUint truncated after " + shift / 7 + " bytes");
      }
      int b = in.get();
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varUint longer than " + MAX_VAR_UINT_BYTES + " bytes");
  }

  /**
   * Reads the length prefix of a varUint8Array or varString and checks that the bytes follow.
   *
   * @return the length in bytes; the position is at the first of them
   */
  static int readLength(ByteBuffer in) {
    long length = readVarUint(in);
    if (length > in.remaining()) {
      throw new IllegalArgumentException(
          "length " + length + " exceeds the " + in.remaining() + " bytes left in the message");
    }
    return (int) length;
  }

  static String readVarString(ByteBuffer in) {
    byte[] utf8 = new byte[readLength(in)];
    in.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  static void writeVarUint(ByteBuffer out, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varUint cannot hold negative " + value);
    }
    while (value > 0x7f) {
      out.put((byte) (0x80 | (value & 0x7f)));
      value >>>= 7;
    }
    out.put((byte) value);
  }

  static int varUintSize(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varUint cannot hold negative " + value);
    }
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** Writes a varString whose characters are all ASCII, as JSON built by {@link CursorJson} is. */
  static void writeAsciiVarString(ByteBuffer out, CharSequence ascii) {
    writeVarUint(out, ascii.length());
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (c > 0x7f) {
        throw new IllegalArgumentException("non-ASCII character at index " + i);
      }
      out.put((byte) c);
    }
  }

  static void writeVarString(ByteBuffer out, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    writeVarUint(out, utf8.length);
    out.put(utf8);
  }
}
