package dev.presence.server.fanout;

import dev.presence.server.config.ServerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live batches encoded during one room tick, keyed by their exact event list. Sessions whose scopes
 * and views select the same events get the same bytes: serialized once, written many times. A batch too
 * large for one frame is split the same way for every session, so its parts are shared too.
 */
public final class SharedFrames {
  private final Map<List<LiveEvent>, List<Frame>> frames = new HashMap<>();
  private final int maxFrameBytes;
  private int encodings;

  /** @param maxFrameBytes the largest frame a batch may take (PRS-TRN-7) */
  public SharedFrames(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Frames within the default {@code max_outbound_frame_bytes}. */
  public SharedFrames() {
    this(ServerConfig.DEFAULT_MAX_OUTBOUND_FRAME_BYTES);
  }

  /**
   * @param events the batch, in order
   * @return its frames, in order, each within the bound; encoded at most once per tick
   */
  List<Frame> liveFrames(List<LiveEvent> events) {
    List<Frame> encoded = frames.get(events);
    if (encoded == null) {
      encodings++;
      List<LiveEvent> key = List.copyOf(events);
      encoded = FrameEncoder.liveBatches(key, maxFrameBytes);
      frames.put(key, encoded);
    }
    return encoded;
  }

  /** @return how many distinct batches were encoded; lets tests see sharing happen */
  public int encodings() {
    return encodings;
  }
}
