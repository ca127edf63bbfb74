package dev.presence.server.fanout;

/** Where a session's outbound frames go: its call. Used from the room's serial executor only. */
public interface FrameSink {
  /** @param frame written to the call in order */
  void send(Frame frame);

  /** @return whether the call accepts writes without buffering beyond the transport's threshold */
  boolean isReady();
}
