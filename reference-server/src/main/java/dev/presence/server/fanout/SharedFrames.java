package dev.presence.server.fanout;

import dev.presence.server.config.ServerConfig;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live batches encoded during one room tick. Sessions whose scopes and views select the same events get
 * the same bytes: serialized once, written many times. A batch too large for one frame is split the same way
 * for every session, so its parts are shared too.
 *
 * <p>Each subscriber names its batch while choosing its events, one {@link Batch#then} per event, so the
 * batch it ends on is found without hashing or comparing event lists: every distinct batch of the tick is one
 * node of a tree whose edges are events. In the common tick every subscriber takes the same events and walks
 * the same path, one reference comparison per step.
 *
 * <p>Not thread-safe: one per room tick, used on the room's executor.
 */
public final class SharedFrames {
  private final int maxFrameBytes;
  private final Batch empty = new Batch(null, null);
  private int encodings;

  /** @param maxFrameBytes the largest frame a batch may take (PRS-TRN-7) */
  public SharedFrames(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Frames within the default {@code max_outbound_frame_bytes}. */
  public SharedFrames() {
    this(ServerConfig.DEFAULT_MAX_OUTBOUND_FRAME_BYTES);
  }

  /** @return the batch with no events, where every subscriber's batch starts */
  Batch empty() {
    return empty;
  }

  /** @return how many distinct batches were encoded; lets tests see sharing happen */
  public int encodings() {
    return encodings;
  }

  /** One sequence of events, in delivery order, as chosen by some subscriber during this tick. */
  final class Batch {
    private final Batch previous;
    private final LiveEvent last;
    private final int size;
    private final long oldestArrivalMillis;
    private final boolean carriesNull;
    private LiveEvent onlyNextEvent;
    private Batch onlyNext;
    private Map<LiveEvent, Batch> otherNexts;
    private List<Frame> frames;

    private Batch(Batch previous, LiveEvent last) {
      this.previous = previous;
      this.last = last;
      if (previous == null) {
        size = 0;
        oldestArrivalMillis = Long.MAX_VALUE;
        carriesNull = false;
      } else {
        size = previous.size + 1;
        oldestArrivalMillis = Math.min(previous.oldestArrivalMillis, last.arrivedAtMillis());
        carriesNull = previous.carriesNull || last.isNull();
      }
    }

    /** @param event the next event of the batch @return this batch with the event appended */
    Batch then(LiveEvent event) {
      if (onlyNextEvent == event) {
        return onlyNext;
      }
      if (onlyNextEvent == null) {
        onlyNextEvent = event;
        onlyNext = new Batch(this, event);
        return onlyNext;
      }
      if (otherNexts == null) {
        otherNexts = new IdentityHashMap<>();
      }
      return otherNexts.computeIfAbsent(event, e -> new Batch(this, e));
    }

    boolean isEmpty() {
      return size == 0;
    }

    int size() {
      return size;
    }

    /** @return when the oldest change in the batch arrived, or {@link Long#MAX_VALUE} when unknown */
    long oldestArrivalMillis() {
      return oldestArrivalMillis;
    }

    boolean carriesNull() {
      return carriesNull;
    }

    /** @return the batch's events in delivery order; built on each call, for the rare paths */
    List<LiveEvent> events() {
      LiveEvent[] events = new LiveEvent[size];
      Batch b = this;
      for (int i = size - 1; i >= 0; i--) {
        events[i] = b.last;
        b = b.previous;
      }
      return List.of(events);
    }

    /** @return its frames, in order, each within the bound; encoded at most once per tick */
    List<Frame> frames() {
      if (frames == null) {
        encodings++;
        frames = FrameEncoder.liveBatches(events(), maxFrameBytes);
      }
      return frames;
    }
  }
}
