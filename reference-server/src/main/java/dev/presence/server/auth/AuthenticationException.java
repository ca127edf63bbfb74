package dev.presence.server.auth;

/**
 * Authentication failed. The message is for operators and clients; it never echoes a credential.
 */
public final class AuthenticationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message why, without secrets */
  public AuthenticationException(String message) {
    super(message);
  }
}
