package dev.presence.bench.relay;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Builds {@code ConnectResponse} frames around opaque, pre-serialized {@code PresenceEvent}s by prefixing
 * tags and lengths, so the output is byte-identical to serializing the message and one client decoder
 * reads both the presence server and the relay.
 */
final class BatchFrames {
  private static final int PRESENCE_FIELD = ConnectResponse.PRESENCE_FIELD_NUMBER;
  private static final int EVENTS_FIELD = PresenceBatch.EVENTS_FIELD_NUMBER;

  /** {@code ConnectResponse{opened: Opened{}}}: the relay's answer to a join. */
  static final byte[] JOINED = {
    (byte) (ConnectResponse.OPENED_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED), 0
  };

  private BatchFrames() {}

  /** @param event one encoded event @return the frame carrying it alone */
  static byte[] single(byte[] event) {
    return batch(List.of(event));
  }

  /** @param events at least one encoded event, in batch order @return the frame carrying them */
  static byte[] batch(List<byte[]> events) {
    int batchLength = 0;
    for (byte[] e : events) {
      batchLength += CodedOutputStream.computeByteArraySize(EVENTS_FIELD, e);
    }
    byte[] frame = new byte[CodedOutputStream.computeTagSize(PRESENCE_FIELD)
        + CodedOutputStream.computeUInt32SizeNoTag(batchLength) + batchLength];
    CodedOutputStream out = CodedOutputStream.newInstance(frame);
    try {
      out.writeTag(PRESENCE_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(batchLength);
      for (byte[] e : events) {
        out.writeByteArray(EVENTS_FIELD, e);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return frame;
  }
}
