package dev.presence.server.fanout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live batches encoded during one room tick, keyed by their exact event list. Sessions whose scopes
 * and views select the same events get the same bytes: serialized once, written many times.
 */
public final class SharedFrames {
  private final Map<List<LiveEvent>, Frame> frames = new HashMap<>();
  private int encodings;

  /** @param events the batch, in order @return its frame, encoded at most once per tick */
  Frame liveBatch(List<LiveEvent> events) {
    Frame frame = frames.get(events);
    if (frame == null) {
      encodings++;
      List<LiveEvent> key = List.copyOf(events);
      frame = FrameEncoder.liveBatch(key);
      frames.put(key, frame);
    }
    return frame;
  }

  /** @return how many distinct batches were encoded; lets tests see sharing happen */
  public int encodings() {
    return encodings;
  }
}
