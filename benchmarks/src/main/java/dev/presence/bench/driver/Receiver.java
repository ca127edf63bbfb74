package dev.presence.bench.driver;

/**
 * What one session receives. A driver calls it serially per session (never concurrently for one session),
 * from its I/O threads, so implementations must be cheap.
 */
public interface Receiver {
  /** @param bytes the size of one application frame or message the server wrote to this session */
  void onFrame(int bytes);

  /**
   * One state about a user, the receiver's own included (every system here echoes to the sender).
   *
   * @param fromUser the sender's number
   * @param seq the sender's counter
   * @param sentAtNanos when the sender sent it, from {@link CursorState#sentAtNanos()}
   */
  void onState(int fromUser, long seq, long sentAtNanos);
}
