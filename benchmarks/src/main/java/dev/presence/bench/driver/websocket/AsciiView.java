package dev.presence.bench.driver.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A reusable {@link CharSequence} over bytes of a buffer, one char per byte, so {@link CursorJson} can scan
 * UTF-8 JSON without decoding it. That is exact for the ASCII keys and numbers it reads; in a UTF-8 string
 * every byte of a multi-byte character is at least 0x80, so no quote or backslash is ever misread.
 */
final class AsciiView implements CharSequence {
  private ByteBuffer bytes;
  private int offset;
  private int length;

  AsciiView reset(ByteBuffer bytes, int offset, int length) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException(index);
    }
    return (char) (bytes.get(offset + index) & 0xff);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return toString().subSequence(start, end);
  }

  @Override
  public String toString() {
    byte[] copy = new byte[length];
    bytes.get(offset, copy);
    return new String(copy, StandardCharsets.ISO_8859_1);
  }
}
