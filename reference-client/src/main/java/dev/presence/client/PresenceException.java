package dev.presence.client;

/**
 * A failure reported by the server or by the client's lifecycle.
 *
 * <p>{@link #reason()} is the protocol's error reason name without its {@code ERROR_REASON_} prefix (for
 * example {@code TOO_MANY_FOLLOWS} or {@code UNAUTHENTICATED}), {@code CLIENT_CLOSED} when the client was
 * closed before the request completed, or {@code UNSPECIFIED} when the server gave none.
 */
public class PresenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The machine-readable reason. */
  private final String reason;
  /** Whether the session or client ended because of it. */
  private final boolean fatal;

  /**
   * Creates an exception.
   *
   * @param reason the machine-readable reason
   * @param message a message for humans
   * @param fatal whether the session (or client) ended because of it
   * @param cause the underlying cause, or null
   */
  public PresenceException(String reason, String message, boolean fatal, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
    this.fatal = fatal;
  }

  /**
   * The machine-readable reason.
   *
   * @return the reason name, never null
   */
  public String reason() {
    return reason;
  }

  /**
   * Whether this error ended the session or the client, as opposed to failing one request.
   *
   * @return true for fatal errors
   */
  public boolean isFatal() {
    return fatal;
  }
}
