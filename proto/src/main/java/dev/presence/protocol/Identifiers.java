package dev.presence.protocol;

import java.util.regex.Pattern;

/**
 * The identifier formats every JVM implementation of presence.v1 checks: PRS-ROOM-1, PRS-SUB-1 and PRS-IDN-5.
 * {@code spec/vectors} decides what they accept. A Java string holds UTF-16, so invalid UTF-8 never reaches these
 * checks as such; a string with an unpaired surrogate, which has no UTF-8 form, is refused.
 */
public final class Identifiers {
  private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");
  private static final Pattern SUBSCRIPTION_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,64}");
  private static final int MAX_USER_ID_BYTES = 256;

  private Identifiers() {}

  /**
   * Checks a room id against PRS-ROOM-1.
   *
   * @param roomId the candidate, may be null
   * @return whether it is a valid room id
   */
  public static boolean isValidRoomId(String roomId) {
    return roomId != null && ROOM_ID.matcher(roomId).matches();
  }

  /**
   * Checks a subscription id against PRS-SUB-1.
   *
   * @param subscriptionId the candidate, may be null
   * @return whether it is a valid subscription id
   */
  public static boolean isValidSubscriptionId(String subscriptionId) {
    return subscriptionId != null && SUBSCRIPTION_ID.matcher(subscriptionId).matches();
  }

  /**
   * Checks a user id against PRS-IDN-5: 1 to 256 bytes of UTF-8, no code point of category Cc, and not only code
   * points with the Unicode White_Space property.
   *
   * @param userId the candidate, may be null
   * @return whether it is a valid user id
   */
  public static boolean isValidUserId(String userId) {
    if (userId == null) {
      return false;
    }
    int bytes = 0;
    boolean onlyWhiteSpace = true;
    for (int i = 0; i < userId.length(); ) {
      int cp = userId.codePointAt(i);
      if (Character.getType(cp) == Character.CONTROL || isSurrogate(cp)) {
        return false;
      }
      onlyWhiteSpace &= isWhiteSpace(cp);
      bytes += Utf16.utf8Length(cp);
      i += Character.charCount(cp);
    }
    return bytes >= 1 && bytes <= MAX_USER_ID_BYTES && !onlyWhiteSpace;
  }

  /** Unicode White_Space: Character.isWhitespace misses U+00A0, U+2007 and U+202F; String.isBlank too. */
  private static boolean isWhiteSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }

  /** codePointAt returns an unpaired surrogate's own value. */
  private static boolean isSurrogate(int cp) {
    return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
  }
}
