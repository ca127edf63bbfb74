package dev.presence.clientadapter;

import com.google.protobuf.CodedInputStream;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.client.adapter.Framing;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reads the kit's Commands, framed as the kit's {@link Framing} writes them. */
final class FrameReader {
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
   * @throws IOException if the stream ended inside a frame, or the frame cannot be read or parsed
   */
  Command next() throws IOException {
    Optional<byte[]> body = Framing.read(in);
    if (body.isEmpty()) {
      return null;
    }
    CodedInputStream coded = CodedInputStream.newInstance(body.get());
    coded.setRecursionLimit(MAX_NESTING);
    return Command.parseFrom(coded);
  }
}
