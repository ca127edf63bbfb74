package dev.presence.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Format checks shared by the client (PRS-IDN-5, PRS-ROOM-1, PRS-SUB-1). Not part of the API. */
public final class Ids {
  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");

  private Ids() {}

  /**
   * Checks a room id against PRS-ROOM-1.
   *
   * @param roomId the room id
   * @return true if valid
   */
  public static boolean isValidRoomId(String roomId) {
    return roomId != null && ROOM.matcher(roomId).matches();
  }

  /**
   * Checks a user id against PRS-IDN-5.
   *
   * @param userId the user id
   * @return true if valid
   */
  public static boolean isValidUserId(String userId) {
    if (userId == null || userId.isBlank()) {
      return false;
    }
    int bytes = userId.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > 256) {
      return false;
    }
    return userId.codePoints().noneMatch(Character::isISOControl);
  }
}
