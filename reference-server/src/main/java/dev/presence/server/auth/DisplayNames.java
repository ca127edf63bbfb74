package dev.presence.server.auth;

/**
 * Display names as a room shows them (PRS-IDN-9): control characters (Cc) removed, then cut at a character
 * boundary to at most 256 bytes of UTF-8. A lone surrogate, which UTF-8 cannot encode, becomes U+FFFD.
 */
public final class DisplayNames {
  /** The longest display name, in bytes of UTF-8. */
  public static final int MAX_UTF8_BYTES = 256;

  private DisplayNames() {}

  /**
   * @param name as claimed by credentials or a development client
   * @return the name to show
   */
  public static String sanitize(String name) {
    StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_UTF8_BYTES));
    int bytes = 0;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.getType(cp) == Character.CONTROL) {
        continue;
      }
      if (Character.getType(cp) == Character.SURROGATE) {
        cp = 0xFFFD;
      }
      bytes += utf8Length(cp);
      if (bytes > MAX_UTF8_BYTES) {
        break;
      }
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  private static int utf8Length(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
