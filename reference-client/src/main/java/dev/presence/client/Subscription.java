package dev.presence.client;

/**
 * A standing registration (presence sync or listener) that ends when closed.
 *
 * <p>{@link #close()} is idempotent and thread-safe; once it returns the registered listener is not called
 * again.
 */
public interface Subscription extends AutoCloseable {
  /**
   * Ends the registration. For a presence subscription this also tells the server to stop sending it.
   */
  @Override
  void close();

  /**
   * Tells whether the registration is still active.
   *
   * @return false once closed, refused by the server, or after the client closed
   */
  boolean isActive();
}
