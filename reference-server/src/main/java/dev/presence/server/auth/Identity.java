package dev.presence.server.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated user a session acts for.
 *
 * @param userId the user id; valid per PRS-IDN-5
 * @param displayName human-readable name, possibly empty; stored as {@link DisplayNames#sanitize} makes it
 * @param allowedRooms rooms the credentials allow, or empty when they do not restrict rooms (PRS-IDN-4)
 * @param expiresAt when the credentials expire, ending the session with REVOKED (PRS-IDN-6), if ever
 */
public record Identity(String userId, String displayName, Optional<Set<String>> allowedRooms,
    Optional<Instant> expiresAt) {
  /** Checks the components are present, and makes the display name one a room may show (PRS-IDN-9). */
  public Identity {
    Objects.requireNonNull(userId, "userId");
    displayName = DisplayNames.sanitize(Objects.requireNonNull(displayName, "displayName"));
    Objects.requireNonNull(allowedRooms, "allowedRooms");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * @param roomId a valid room id
   * @return whether the credentials allow joining it
   */
  public boolean mayJoin(String roomId) {
    return allowedRooms.map(rooms -> rooms.contains(roomId)).orElse(true);
  }
}
