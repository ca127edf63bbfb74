package dev.presence.server.support;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.presence.protocol.v1.ConnectRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Encodings no protobuf encoder would write, for frames that test lenient decoding. */
public final class WireBytes {
  /** Stands in a string until {@link #withInvalidUtf8} replaces it; four bytes, like its replacement. */
  public static final String PLACEHOLDER = "@@@@";
  /** A lone continuation byte, an overlong NUL and a byte that never occurs in UTF-8. */
  private static final byte[] INVALID_UTF8 = {(byte) 0x80, (byte) 0xC0, (byte) 0x80, (byte) 0xFF};

  private WireBytes() {}

  /**
   * @param frame a frame holding {@link #PLACEHOLDER} in exactly one string
   * @return its encoding with that string's bytes replaced by invalid UTF-8 of the same length
   */
  public static byte[] withInvalidUtf8(ConnectRequest frame) {
    byte[] bytes = frame.toByteArray();
    byte[] placeholder = PLACEHOLDER.getBytes(StandardCharsets.UTF_8);
    int at = ByteString.copyFrom(bytes).toString(StandardCharsets.ISO_8859_1)
        .indexOf(new String(placeholder, StandardCharsets.ISO_8859_1));
    if (at < 0) {
      throw new IllegalArgumentException("no placeholder in " + frame);
    }
    System.arraycopy(INVALID_UTF8, 0, bytes, at, INVALID_UTF8.length);
    return bytes;
  }

  /**
   * @param requestId the frame's request id
   * @param levels how many ListValues nest inside the state, {"a":[[[...]]]}
   * @return an update_state frame of that depth + 1, encoded inside out so no stack grows with it
   */
  public static byte[] updateStateWithNestedLists(long requestId, int levels) {
    // Written back to front: each level prepends its tag and length to what it wraps.
    byte[] buffer = new byte[levels * 12 + 64];
    int start = buffer.length; // the innermost Value is empty, so it has no kind
    for (int i = 0; i < levels; i++) {
      start = prependField(buffer, start, 1); // ListValue.values
      start = prependField(buffer, start, 6); // Value.list_value
    }
    byte[] value = java.util.Arrays.copyOfRange(buffer, start, buffer.length);
    byte[] entry = concat(field(1, "a".getBytes(StandardCharsets.UTF_8)), field(2, value));
    return concat(varintField(1, requestId), field(3, field(1, field(1, entry))));
  }

  private static int prependField(byte[] buffer, int start, int number) {
    byte[] head = concat(varintTag(number), varint(buffer.length - start));
    System.arraycopy(head, 0, buffer, start - head.length, head.length);
    return start - head.length;
  }

  private static byte[] varintTag(int number) {
    return varint(number << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED);
  }

  private static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(10);
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  /** @return a length-delimited field */
  public static byte[] field(int number, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 8);
    try {
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      coded.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      coded.writeUInt32NoTag(body.length);
      coded.writeRawBytes(body);
      coded.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** @return a varint field */
  public static byte[] varintField(int number, long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(12);
    try {
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      coded.writeUInt64(number, value);
      coded.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** @return the parts one after another */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
