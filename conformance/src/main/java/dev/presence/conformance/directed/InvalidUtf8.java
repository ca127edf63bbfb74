package dev.presence.conformance.directed;

import com.google.protobuf.MessageLite;
import java.nio.charset.StandardCharsets;

/**
 * Encodes frames whose strings are not valid UTF-8, which protobuf's own encoders refuse to produce: the frame is
 * built with an ASCII marker in the field and the marker's bytes are then spoiled in place, so every length prefix
 * stays right (PRS-IDN-7, PRS-STA-8).
 */
final class InvalidUtf8 {

  /** A marker that occurs in no other part of the kit's frames. */
  static final String MARKER = "zQ8xK2vJ";

  private InvalidUtf8() {}

  /** Returns the frame's encoding with the marker's third byte replaced by 0xFF, which UTF-8 never contains. */
  static byte[] spoil(MessageLite frame) {
    byte[] bytes = frame.toByteArray();
    byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(bytes, marker);
    if (at < 0 || indexOf(java.util.Arrays.copyOfRange(bytes, at + 1, bytes.length), marker) >= 0) {
      throw new IllegalArgumentException("the marker must occur exactly once in the frame");
    }
    bytes[at + 2] = (byte) 0xFF;
    return bytes;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
