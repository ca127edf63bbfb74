package dev.presence.conformance.spec;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON with every character outside printable ASCII escaped, so that white space, controls and format
 * characters in the vectors stay visible to people reading the files.
 */
final class AsciiJson {
  private AsciiJson() {}

  /** Renders maps (in their order), lists, strings, booleans, integers and null; two-space indents. */
  static String render(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, "", out);
    return out.append('\n').toString();
  }

  private static void write(Object value, String indent, StringBuilder out) {
    if (value instanceof Map<?, ?> map) {
      writeMap(map, indent, out);
    } else if (value instanceof List<?> list) {
      writeList(list, indent, out);
    } else if (value instanceof String s) {
      quote(s, out);
    } else {
      out.append(value);
    }
  }

  private static void writeMap(Map<?, ?> map, String indent, StringBuilder out) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    boolean flat = map.values().stream().noneMatch(v -> v instanceof Map<?, ?> || v instanceof List<?>);
    String inner = indent + "  ";
    out.append('{');
    String separator = flat ? "" : "\n" + inner;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      out.append(separator);
      quote((String) e.getKey(), out);
      out.append(": ");
      write(e.getValue(), inner, out);
      separator = flat ? ", " : ",\n" + inner;
    }
    out.append(flat ? "}" : "\n" + indent + "}");
  }

  private static void writeList(List<?> list, String indent, StringBuilder out) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    String inner = indent + "  ";
    out.append("[\n").append(inner);
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(",\n").append(inner);
      }
      write(list.get(i), inner, out);
    }
    out.append('\n').append(indent).append(']');
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7F) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    out.append('"');
  }
}
