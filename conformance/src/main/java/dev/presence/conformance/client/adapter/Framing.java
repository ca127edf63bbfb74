package dev.presence.conformance.client.adapter;

import com.google.protobuf.MessageLite;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;

/**
 * The adapter protocol's framing: a 4-byte unsigned big-endian length, then that many bytes of protobuf encoding.
 */
public final class Framing {

  /** A frame larger than this is a broken stream, not a message: the kit never sends or expects one. */
  public static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

  private Framing() {}

  /** Writes one framed message and flushes. */
  public static void write(DataOutputStream out, MessageLite message) throws IOException {
    byte[] bytes = message.toByteArray();
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  /**
   * Reads one frame's bytes.
   *
   * @return the bytes, or empty at a clean end of stream between frames
   * @throws IOException if the stream ends inside a frame or announces an impossible length
   */
  public static Optional<byte[]> read(DataInputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return Optional.empty();
    }
    int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
    if (length < 0 || length > MAX_FRAME_BYTES) {
      throw new IOException("frame length " + Integer.toUnsignedString(length) + " exceeds "
          + MAX_FRAME_BYTES + " bytes: the stream is not framed as the adapter protocol says");
    }
    byte[] bytes = new byte[length];
    try {
      in.readFully(bytes);
    } catch (EOFException e) {
      throw new IOException("stream ended inside a frame of " + length + " bytes", e);
    }
    return Optional.of(bytes);
  }
}
