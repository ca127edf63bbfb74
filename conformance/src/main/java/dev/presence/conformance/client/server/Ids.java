package dev.presence.conformance.client.server;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The identifier formats the autopilot checks before it answers: PRS-ROOM-1, PRS-SUB-1, PRS-IDN-5. */
final class Ids {
  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");
  private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9._:~-]{1,64}");

  private Ids() {}

  static boolean validRoom(String id) {
    return ROOM.matcher(id).matches();
  }

  static boolean validSubscription(String id) {
    return SUBSCRIPTION.matcher(id).matches();
  }

  static boolean validUser(String id) {
    int bytes = id.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > 256) {
      return false;
    }
    boolean onlySpace = true;
    for (int i = 0; i < id.length(); ) {
      int cp = id.codePointAt(i);
      if (Character.getType(cp) == Character.CONTROL) {
        return false;
      }
      onlySpace &= whiteSpace(cp);
      i += Character.charCount(cp);
    }
    return !onlySpace;
  }

  // The Unicode White_Space property exactly as PRS-IDN-5 lists it; Java's isWhitespace differs (no U+00A0).
  private static boolean whiteSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }
}
