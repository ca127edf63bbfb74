package dev.presence.server.fanout;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes frames. A live batch is assembled from the cached encodings of its events instead of building
 * and serializing a message per subscriber.
 */
public final class FrameEncoder {
  private static final int PRESENCE_FIELD = ConnectResponse.PRESENCE_FIELD_NUMBER;
  private static final int EVENTS_FIELD = PresenceBatch.EVENTS_FIELD_NUMBER;

  private FrameEncoder() {}

  /** @param response any response @return its frame */
  public static Frame encode(ConnectResponse response) {
    return new Frame(response.toByteArray());
  }

  /**
   * @param events at least one event, in delivery order
   * @return the frame {@code ConnectResponse{presence: PresenceBatch{events}}}, byte-identical to
   *     serializing that message
   */
  public static Frame liveBatch(List<LiveEvent> events) {
    int batchLength = 0;
    for (LiveEvent e : events) {
      batchLength += CodedOutputStream.computeByteArraySize(EVENTS_FIELD, e.encoded());
    }
    int total = CodedOutputStream.computeTagSize(PRESENCE_FIELD)
        + CodedOutputStream.computeUInt32SizeNoTag(batchLength) + batchLength;
    byte[] out = new byte[total];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      cos.writeTag(PRESENCE_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      cos.writeUInt32NoTag(batchLength);
      for (LiveEvent e : events) {
        cos.writeByteArray(EVENTS_FIELD, e.encoded());
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Frame(out);
  }
}
