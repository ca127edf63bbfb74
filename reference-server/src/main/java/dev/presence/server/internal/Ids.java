package dev.presence.server.internal;

import java.util.regex.Pattern;

/**
 * Identifier formats of PRS-ROOM-1, PRS-SUB-1 and PRS-IDN-5, decided by the vectors in {@code spec/vectors}.
 *
 * <p>Strings with unpaired surrogates have no UTF-8 form and are rejected. Invalid UTF-8 never reaches these checks
 * as such: the lenient frame decoder turns it into a value that fails them, so that it gets its field's reason
 * (PRS-IDN-7).
 */
public final class Ids {
  private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");
  private static final Pattern SUBSCRIPTION_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,64}");
  private static final int MAX_USER_ID_BYTES = 256;

  private Ids() {}

  /** @param roomId candidate @return whether it is a valid room id */
  public static boolean isValidRoomId(String roomId) {
    return ROOM_ID.matcher(roomId).matches();
  }

  /** @param subscriptionId candidate @return whether it is a valid subscription id */
  public static boolean isValidSubscriptionId(String subscriptionId) {
    return SUBSCRIPTION_ID.matcher(subscriptionId).matches();
  }

  /**
   * @param userId candidate
   * @return whether it is 1..256 bytes of UTF-8 with no Cc code point and not only White_Space code points
   */
  public static boolean isValidUserId(String userId) {
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

  /** Unicode White_Space: Character.isWhitespace misses U+00A0, U+2007 and U+202F, isSpaceChar misses U+0009-000D. */
  private static boolean isWhiteSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }

  /** codePointAt returns a lone surrogate's own value: such a string has no UTF-8 form. */
  private static boolean isUnpairedSurrogate(int cp) {
    return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
  }

  private static int utf8Length(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
