package dev.presence.server.internal;

import java.util.Map;

/**
 * Renders fields as {@code key=value} pairs separated by spaces, the form of every log line the server writes.
 * Fields come from a map, so a line names each key once.
 */
public final class KeyValues {
  private KeyValues() {}

  /**
   * @param fields keys, which never contain spaces, and values in the order they should appear
   * @return the pairs; a value with a space, a quote or a backslash, or an empty one, is quoted so the line
   *     still splits into the same pairs
   */
  public static String join(Map<String, String> fields) {
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(field.getKey()).append('=').append(quoted(field.getValue()));
    }
    return line.toString();
  }

  private static String quoted(String value) {
    if (!value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\\')) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
