package dev.presence.bench.driver.frames;

/**
 * What a {@link FrameProtocol} needs from the session that carries its frames, whatever the transport: a
 * gRPC call or a WebSocket connection.
 */
public interface FrameLink {
  /** @param frame one complete frame of the protocol, sent as one message; never blocks */
  void write(byte[] frame);

  /** The handshake is done: the session can send and receive. */
  void markReady();

  /**
   * Fails the open if the session is not ready yet, and then ends it; otherwise counts the problem as a
   * fault and the session goes on.
   *
   * @param reason stable across occurrences so that they add up; never a payload
   */
  void fail(String reason);

  /**
   * The server said it ended the session: fails the open if it is not ready yet, otherwise counts a fault;
   * either way the session ends, and how its transport then closes is not counted again.
   *
   * @param how what the server said, stable across occurrences, such as the status code; never a payload
   */
  void endedByServer(String how);
}
