package dev.presence.server.room;

import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.internal.Metrics;
import dev.presence.server.session.Session;

/**
 * Collects tagged events and writes them as few batches as possible, starting a new one past a size
 * bound so a snapshot of a large room never exceeds a client's inbound message limit.
 */
final class TaggedBatcher {
  private static final int MAX_BATCH_BYTES = 256 * 1024;

  private final Session session;
  private final Metrics metrics;
  private PresenceBatch.Builder batch = PresenceBatch.newBuilder();
  private int bytes;

  TaggedBatcher(Session session, Metrics metrics) {
    this.session = session;
    this.metrics = metrics;
  }

  void add(PresenceEvent event) {
    int size = event.getSerializedSize();
    if (bytes > 0 && bytes + size > MAX_BATCH_BYTES) {
      flush();
    }
    batch.addEvents(event);
    if (!event.hasState()) {
      metrics.nullOut(event.getNullReason());
    }
    bytes += size + 5;
  }

  void flush() {
    if (batch.getEventsCount() > 0) {
      metrics.eventsOut(true, batch.getEventsCount());
      session.send(Responses.batch(batch.build()));
      batch = PresenceBatch.newBuilder();
      bytes = 0;
    }
  }
}
