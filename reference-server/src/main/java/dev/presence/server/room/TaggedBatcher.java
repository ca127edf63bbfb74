package dev.presence.server.room;

import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.fanout.FrameEncoder;
import dev.presence.server.internal.Metrics;
import dev.presence.server.session.Session;

/**
 * Collects tagged events and writes them as few batches as possible, starting a new one before a frame
 * would exceed {@code max_outbound_frame_bytes} (PRS-TRN-7), so a snapshot of a large room spans several
 * frames before its {@code snapshot_complete}.
 */
final class TaggedBatcher {
  private final Session session;
  private final Metrics metrics;
  private final int maxFrameBytes;
  private PresenceBatch.Builder batch = PresenceBatch.newBuilder();
  private int batchLength;

  TaggedBatcher(Session session, Metrics metrics, int maxFrameBytes) {
    this.session = session;
    this.metrics = metrics;
    this.maxFrameBytes = maxFrameBytes;
  }

  void add(PresenceEvent event) {
    int size = FrameEncoder.batchedEventSize(event.getSerializedSize());
    if (batchLength > 0 && FrameEncoder.presenceFrameSize(batchLength + size) > maxFrameBytes) {
      flush();
    }
    batch.addEvents(event);
    if (!event.hasState()) {
      metrics.nullOut(event.getNullReason());
    }
    batchLength += size;
  }

  void flush() {
    if (batch.getEventsCount() > 0) {
      metrics.eventsOut(true, batch.getEventsCount());
      session.send(Responses.batch(batch.build()));
      batch = PresenceBatch.newBuilder();
      batchLength = 0;
    }
  }
}
