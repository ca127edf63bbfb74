package dev.presence.server.auth;

import dev.presence.protocol.v1.Open;

/**
 * Establishes a session's identity. Called once per call, when its {@code open} frame arrives, whichever
 * binding carries the call; must not block on I/O because it runs on a transport thread.
 */
public interface Authenticator {
  /**
   * @param credentials what the call presented (PRS-TRN-3, PRS-WS-7)
   * @param open the open frame; only a development authenticator may read its dev fields
   * @return the identity
   * @throws AuthenticationException when credentials are missing, malformed, unverifiable or expired
   */
  Identity authenticate(Credentials credentials, Open open) throws AuthenticationException;

  /** @return a short name for startup output, e.g. {@code none} */
  String modeName();

  /** @return whether any client can claim any identity, which operators must be warned about */
  boolean insecure();
}
