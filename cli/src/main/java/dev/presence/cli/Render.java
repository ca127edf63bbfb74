package dev.presence.cli;

import dev.presence.client.NullReason;
import dev.presence.client.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Text rendering shared by the commands; pure, so it is tested without a terminal. */
final class Render {
  private Render() {}

  /** What {@code watch} knows about one user. */
  record Row(String userId, String displayName, boolean member, State state, NullReason reason) {}

  /**
   * Renders the watch table: one row per user, sorted by id.
   *
   * @param rows rows by user id
   * @param maxStateWidth longest state text before it is cut
   * @return the table text, ending with a newline
   */
  static String table(Map<String, Row> rows, int maxStateWidth) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"USER", "NAME", "PRESENCE"});
    for (Row r : new TreeMap<>(rows).values()) {
      String presence;
      if (r.state() != null) {
        presence = cut(JsonText.of(r.state()), maxStateWidth);
      } else if (r.reason() != null) {
        presence = "null (" + r.reason() + ")";
      } else {
        presence = "-";
      }
      String name = r.displayName() == null ? "" : r.displayName();
      lines.add(new String[] {r.userId() + (r.member() ? "" : " (gone)"), name, presence});
    }
    int w0 = 0;
    int w1 = 0;
    for (String[] l : lines) {
      w0 = Math.max(w0, l[0].length());
      w1 = Math.max(w1, l[1].length());
    }
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      sb.append(pad(l[0], w0)).append("  ").append(pad(l[1], w1)).append("  ").append(l[2]).append('\n');
    }
    return sb.toString();
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
  }

  private static String pad(String s, int w) {
    StringBuilder sb = new StringBuilder(s);
    while (sb.length() < w) {
      sb.append(' ');
    }
    return sb.toString();
  }
}
