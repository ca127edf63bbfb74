package dev.presence.conformance.transcript;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Mints the bearer tokens of {@code # auth: jwt} transcripts. Only a replayer that knows the server's signing key
 * has one; without it such transcripts are skipped.
 */
@FunctionalInterface
public interface TokenMinter {

  /**
   * Returns a signed token with these claims.
   *
   * @param claims what the token says
   * @return the token, without the {@code Bearer } prefix
   */
  String mint(Claims claims);

  /**
   * The claims of one token, named like the reference server's JWT claims: {@code sub}, {@code name}, {@code exp}
   * and {@code rooms}.
   *
   * @param subject the user id, also used as the display name
   * @param expiresAt when the token expires; in the past for an expired token
   * @param rooms the rooms the token allows, or empty for a token without a rooms claim
   * @param wrongKey whether to sign with a key the server does not know
   */
  record Claims(String subject, Instant expiresAt, Optional<List<String>> rooms, boolean wrongKey) {

    /** Copies the rooms. */
    public Claims {
      rooms = rooms.map(List::copyOf);
    }
  }
}
