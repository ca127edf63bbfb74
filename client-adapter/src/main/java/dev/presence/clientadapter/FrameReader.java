package dev.presence.clientadapter;

import com.google.protobuf.CodedInputStream;
import dev.presence.conformance.adapter.v1.Command;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads the kit's Commands: each a 4-byte unsigned big-endian length, then that many bytes of protobuf. */
final class FrameReader {
  /** Far above any real command; a larger length means the stream is out of step, not a huge state. */
  private static final long MAX_FRAME_BYTES = 64L * 1024 * 1024;
  /**
   * Nesting the parser accepts. A state level costs three messages (Struct, map entry, Value), so protobuf's
   * default of 100 would reject states deeper than about 32 before the client could refuse them itself, and the
   * kit sends such states on purpose (PRS-THC-6).
   */
  private static final int MAX_NESTING = 1000;

  private final DataInputStream in;

  FrameReader(InputStream in) {
    this.in = new DataInputStream(in);
  }

  /**
   * Reads the next command.
   *
   * @return the command, or null when the stream ended cleanly between frames
   * @throws EOFException if the stream ended inside a frame
   * @throws IOException if the frame cannot be read or parsed
   */
  Command next() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    long length = ((long) first << 24) | ((long) in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8)
        | in.readUnsignedByte();
    if (length > MAX_FRAME_BYTES) {
      throw new IOException("frame length " + length + " exceeds " + MAX_FRAME_BYTES);
    }
    byte[] body = new byte[(int) length];
    in.readFully(body);
    CodedInputStream coded = CodedInputStream.newInstance(body);
    coded.setRecursionLimit(MAX_NESTING);
    return Command.parseFrom(coded);
  }
}
