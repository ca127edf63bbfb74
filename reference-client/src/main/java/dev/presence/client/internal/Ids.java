package dev.presence.client.internal;

import java.util.regex.Pattern;

/**
 * Format checks shared by the client (PRS-IDN-5, PRS-ROOM-1), decided by the vectors in {@code spec/vectors}. Not
 * part of the API.
 */
public final class Ids {
  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");
  private static final int MAX_USER_ID_BYTES = 256;

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
   * Checks a user id against PRS-IDN-5: 1..256 bytes of UTF-8, no code point of category Cc, not only code points
   * with the Unicode White_Space property. A string with an unpaired surrogate has no UTF-8 form and is invalid.
   *
   * @param userId the user id
   * @return true if valid
   */
  public static boolean isValidUserId(String userId) {
    if (userId == null) {
      return false;
    }
    int bytes = 0;
    boolean onlyWhiteSpace = true;
    for (int i = 0; i < userId.length(); ) {
      int cp = userId.codePointAt(i);
      if (Character.getType(cp) == Character.CONTROL || isUnpairedSurrogate(cp)) {
        return false;
      }
      onlyWhiteSpace &= isWhiteSpace(cp);
      bytes += utf8Length(cp);
      i += Character.charCount(cp);
    }
    return bytes >= 1 && bytes <= MAX_USER_ID_BYTES && !onlyWhiteSpace;
  }

  /** Unicode White_Space: String.isBlank misses U+00A0, U+2007 and U+202F, which made "\u00a0" a valid id. */
  private static boolean isWhiteSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }

  /** codePointAt returns a lone surrogate's own value. */
  private static boolean isUnpairedSurrogate(int cp) {
    return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
  }

  private static int utf8Length(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
