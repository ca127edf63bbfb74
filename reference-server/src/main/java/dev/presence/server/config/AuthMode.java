package dev.presence.server.config;

/** How the server establishes the identity of a session. */
public enum AuthMode {
  /**
   * Insecure development mode: the user id and display name come from the {@code open} frame, so any
   * client can claim to be any user (PRS-IDN-3).
   */
  NONE,
  /**
   * Signed JWT bearer tokens in the {@code authorization} metadata: HS256 with a shared secret or RS256
   * with a public key. The user id is {@code sub}, the display name {@code name}, and an optional
   * {@code rooms} array restricts the rooms the token may join (PRS-IDN-1, PRS-IDN-4).
   */
  JWT
}
