package dev.presence.server.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code length:bytes,} sequences, the framing the room scripts write. */
final class Netstrings {
  private Netstrings() {}

  /**
   * @param data netstrings back to back
   * @return their contents
   * @throws IllegalArgumentException when the data is not well formed
   */
  static List<byte[]> parse(byte[] data) {
    List<byte[]> out = new ArrayList<>();
    int i = 0;
    while (i < data.length) {
      int length = 0;
      int start = i;
      while (i < data.length && data[i] != ':') {
        int digit = data[i] - '0';
        if (digit < 0 || digit > 9 || i - start > 9) {
          throw new IllegalArgumentException("netstring length expected at " + start);
        }
        length = length * 10 + digit;
        i++;
      }
      if (i == start || i >= data.length || (long) i + 1 + length >= data.length || data[i + 1 + length] != ',') {
        throw new IllegalArgumentException("netstring at " + start + " is cut or unterminated");
      }
      byte[] item = new byte[length];
      System.arraycopy(data, i + 1, item, 0, length);
      out.add(item);
      i += length + 2;
    }
    return out;
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
