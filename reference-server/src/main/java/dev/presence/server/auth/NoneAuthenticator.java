package dev.presence.server.auth;

import dev.presence.protocol.Identifiers;
import dev.presence.protocol.v1.Open;
import java.util.Optional;

/**
 * The insecure development mode of PRS-IDN-3: trusts {@code Open.dev_user_id} and
 * {@code Open.dev_display_name}, and ignores credentials. Never use it where identity matters.
 */
public final class NoneAuthenticator implements Authenticator {
  @Override
  public Identity authenticate(Credentials credentials, Open open) throws AuthenticationException {
    String userId = open.getDevUserId();
    if (!Identifiers.isValidUserId(userId)) {
      throw new AuthenticationException(
          "auth mode none needs open.dev_user_id: 1..256 UTF-8 bytes, no control characters, not blank");
    }
    return new Identity(userId, open.getDevDisplayName(), Optional.empty(), Optional.empty());
  }

  @Override
  public String modeName() {
    return "none";
  }

  @Override
  public boolean insecure() {
    return true;
  }
}
