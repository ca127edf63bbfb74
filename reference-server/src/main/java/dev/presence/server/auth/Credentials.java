package dev.presence.server.auth;

import java.util.Objects;

/**
 * What a call presented to prove who it acts for, whichever binding carried it: on gRPC the
 * {@code authorization: Bearer} metadata (PRS-TRN-3), on WebSocket the {@code presence.v1.bearer.} subprotocol
 * entry (PRS-WS-7). Credentials that were present but unusable are kept as malformed, so that they are
 * judged, like any others, when {@code open} arrives. {@link #toString()} never shows the token.
 */
public final class Credentials {
  private static final Credentials NONE = new Credentials(null, "no bearer token was given");

  private final String bearerToken;
  private final String problem;

  private Credentials(String bearerToken, String problem) {
    this.bearerToken = bearerToken;
    this.problem = problem;
  }

  /** @return no credentials */
  public static Credentials none() {
    return NONE;
  }

  /** @param token a bearer token, as given @return credentials holding it */
  public static Credentials bearer(String token) {
    return new Credentials(Objects.requireNonNull(token, "token"), null);
  }

  /**
   * @param problem what is wrong with them, for humans; must not contain the credentials themselves
   * @return credentials that were present but cannot be used
   */
  public static Credentials malformed(String problem) {
    return new Credentials(null, Objects.requireNonNull(problem, "problem"));
  }

  /**
   * @return the bearer token
   * @throws AuthenticationException when no token was given or it was malformed (PRS-IDN-2)
   */
  public String bearerToken() throws AuthenticationException {
    if (bearerToken == null) {
      throw new AuthenticationException(problem);
    }
    return bearerToken;
  }

  @Override
  public String toString() {
    return bearerToken != null ? "Credentials[bearer]" : "Credentials[" + problem + "]";
  }
}
