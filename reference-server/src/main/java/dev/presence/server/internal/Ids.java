package dev.presence.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Identifier formats of PRS-ROOM-1, PRS-SUB-1 and PRS-IDN-5. */
public final class Ids {
  private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");
  private static final Pattern SUBSCRIPTION_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,64}");

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
   * @return whether it is 1..256 UTF-8 bytes, has no control character and is not only white space
   */
  public static boolean isValidUserId(String userId) {
    if (userId.isEmpty() || userId.getBytes(StandardCharsets.UTF_8).length > 256) {
      return false;
    }
    boolean onlySpace = true;
    for (int i = 0; i < userId.length(); ) {
      int cp = userId.codePointAt(i);
      if (Character.isISOControl(cp)) {
        return false;
      }
      if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
        onlySpace = false;
      }
      i += Character.charCount(cp);
    }
    return !onlySpace;
  }
}
