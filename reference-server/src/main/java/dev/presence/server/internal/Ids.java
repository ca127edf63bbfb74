package dev.presence.server.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Identifier formats of PRS-ROOM-1, PRS-SUB-1 and PRS-IDN-5, decided by the vectors in {@code spec/vectors}.
 *
 * <p>The {@code String} checks reject strings with unpaired surrogates, which have no UTF-8 form; the {@code byte[]}
 * checks take an identifier as it came off the wire, so that invalid UTF-8 is classified by field (PRS-IDN-7).
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

  /** @param utf8 candidate as received @return whether it is a valid room id */
  public static boolean isValidRoomId(byte[] utf8) {
    return strictUtf8(utf8).map(Ids::isValidRoomId).orElse(false);
  }

  /** @param subscriptionId candidate @return whether it is a valid subscription id */
  public static boolean isValidSubscriptionId(String subscriptionId) {
    return SUBSCRIPTION_ID.matcher(subscriptionId).matches();
  }

  /** @param utf8 candidate as received @return whether it is a valid subscription id */
  public static boolean isValidSubscriptionId(byte[] utf8) {
    return strictUtf8(utf8).map(Ids::isValidSubscriptionId).orElse(false);
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

  /** @param utf8 candidate as received @return whether it is a valid user id */
  public static boolean isValidUserId(byte[] utf8) {
    return strictUtf8(utf8).map(Ids::isValidUserId).orElse(false);
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

  private static Optional<String> strictUtf8(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
