package dev.presence.conformance.client.adapter;

/**
 * The adapter broke the adapter protocol: it exited, wrote something that is no framed {@code Report}, or did not
 * answer a command in time. The message says which; the kit reports it against the SDK, not against a rule.
 */
public final class AdapterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with what went wrong. */
  public AdapterException(String message) {
    super(message);
  }

  /** Creates the exception with what went wrong and the I/O error behind it. */
  public AdapterException(String message, Throwable cause) {
    super(message, cause);
  }
}
