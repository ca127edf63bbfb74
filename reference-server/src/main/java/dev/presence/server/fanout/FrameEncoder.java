package dev.presence.server.fanout;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
   * @param batchLength the encoded length of a {@code PresenceBatch}
   * @return the length of the {@code ConnectResponse} frame carrying it
   */
  public static int presenceFrameSize(int batchLength) {
    return CodedOutputStream.computeTagSize(PRESENCE_FIELD)
        + CodedOutputStream.computeUInt32SizeNoTag(batchLength) + batchLength;
  }

  /**
   * @param eventSize the encoded length of one {@code PresenceEvent}
   * @return what the event adds to the length of the {@code PresenceBatch} carrying it
   */
  public static int batchedEventSize(int eventSize) {
    return CodedOutputStream.computeTagSize(EVENTS_FIELD) + CodedOutputStream.computeUInt32SizeNoTag(eventSize)
        + eventSize;
  }

  /**
   * @param events at least one event, in delivery order
   * @return the frame {@code ConnectResponse{presence: PresenceBatch{events}}}, byte-identical to
   *     serializing that message
   */
  public static Frame liveBatch(List<LiveEvent> events) {
    int batchLength = 0;
    for (LiveEvent e : events) {
      batchLength += batchedEventSize(e.encoded().length);
    }
    return liveBatch(events, batchLength);
  }

  /**
   * Splits a batch, in order, into frames of at most {@code maxFrameBytes} (PRS-TRN-7). One event always
   * fits: the bound is at least a largest state plus its envelope (PRS-LIM-4).
   *
   * @param events at least one event, in delivery order
   * @param maxFrameBytes the largest frame allowed
   * @return the frames, in order
   */
  public static List<Frame> liveBatches(List<LiveEvent> events, int maxFrameBytes) {
    int batchLength = 0;
    for (LiveEvent e : events) {
      batchLength += batchedEventSize(e.encoded().length);
    }
    if (presenceFrameSize(batchLength) <= maxFrameBytes) {
      return List.of(liveBatch(events, batchLength));
    }
    List<Frame> frames = new ArrayList<>();
    int from = 0;
    int length = 0;
    for (int i = 0; i < events.size(); i++) {
      int size = batchedEventSize(events.get(i).encoded().length);
      if (i > from && presenceFrameSize(length + size) > maxFrameBytes) {
        frames.add(liveBatch(events.subList(from, i), length));
        from = i;
        length = 0;
      }
      length += size;
    }
    frames.add(liveBatch(events.subList(from, events.size()), length));
    return frames;
  }

  private static Frame liveBatch(List<LiveEvent> events, int batchLength) {
    byte[] out = new byte[presenceFrameSize(batchLength)];
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
