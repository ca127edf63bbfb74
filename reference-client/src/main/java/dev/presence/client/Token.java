package dev.presence.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A bearer token with, optionally, the instant it expires, as returned by the supplier given to
 * {@link PresenceClient.Builder#tokenWithExpiry}. A client that knows when its token expires opens a session with
 * a fresh token before then and moves over to it without the application or other users seeing a change
 * (PRS-RCN-6).
 */
public final class Token {
  private final String value;
  private final Instant expiresAt;

  private Token(String value, Instant expiresAt) {
    this.value = Objects.requireNonNull(value, "value");
    this.expiresAt = expiresAt;
  }

  /**
   * A token whose expiry the client reads from the token itself when it is a JWT (the {@code exp} claim of the
   * payload, decoded without verifying the signature); other tokens are treated as never expiring.
   *
   * @param value the token
   * @return the token
   */
  public static Token of(String value) {
    return new Token(value, null);
  }

  /**
   * A token that expires at the given instant, whatever its format.
   *
   * @param value the token
   * @param expiresAt when the server stops accepting it
   * @return the token
   */
  public static Token of(String value, Instant expiresAt) {
    return new Token(value, Objects.requireNonNull(expiresAt, "expiresAt"));
  }

  /**
   * The token sent as {@code authorization: Bearer <value>}.
   *
   * @return the value
   */
  public String value() {
    return value;
  }

  /**
   * The expiry given to {@link #of(String, Instant)}.
   *
   * @return the expiry, or empty when none was given
   */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "Token[" + (expiresAt == null ? "" : "expires " + expiresAt) + "]";
  }
}
