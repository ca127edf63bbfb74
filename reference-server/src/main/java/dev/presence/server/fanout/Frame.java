package dev.presence.server.fanout;

/**
 * One pre-serialized {@code ConnectResponse}. Frames are immutable and may be written to many calls, so a
 * batch shared by many subscribers is encoded once.
 */
public final class Frame {
  private final byte[] bytes;

  /** @param bytes the protobuf encoding of a ConnectResponse; not copied, never modified */
  public Frame(byte[] bytes) {
    this.bytes = bytes;
  }

  /** @return the encoding; callers must not modify it */
  public byte[] bytes() {
    return bytes;
  }
}
