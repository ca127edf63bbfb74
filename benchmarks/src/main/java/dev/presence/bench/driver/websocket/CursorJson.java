package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.CursorState;

/**
 * Writes and scans the flat JSON object both Node peers carry, {@code {"u":3,"x":123.5,"y":456.25,"seq":17,
 * "ts":123456789012345}}, {@code u} being the sender's user number. The peers parse and
 * re-serialize it, so the scanner takes keys in any order, skips keys it does not know and rejects
 * anything but an integer for {@code u} (an int), {@code seq} and {@code ts}.
 *
 * <p>{@code ts} travels as nanoseconds since {@link #EPOCH_NANOS}, not as raw {@link System#nanoTime()}:
 * JavaScript numbers hold integers exactly only below 2^53 ns (104 days), and {@code nanoTime} counts from
 * boot on Linux, so a long-running host would otherwise get its timestamps rounded by the peer. Sender and
 * receivers share the load generator's process, hence this epoch.
 */
final class CursorJson {
  static final long EPOCH_NANOS = System.nanoTime();

  private static final int MAX_LONG_DIGITS = 19;

  private CursorJson() {}

  static void write(StringBuilder out, CursorState state) {
    checkFinite("x", state.x());
    checkFinite("y", state.y());
    out.append("{\"u\":").append(state.user())
        .append(",\"x\":").append(state.x())
        .append(",\"y\":").append(state.y())
        .append(",\"seq\":").append(state.seq())
        .append(",\"ts\":").append(state.sentAtNanos() - EPOCH_NANOS)
        .append('}');
  }

  /**
   * Scans one object starting at {@code from}, leading whitespace allowed.
   *
   * @param out receives {@code u} if present, {@code seq} and {@code ts} (as {@link System#nanoTime()})
   * @return the index just after the closing brace
   * @throws IllegalArgumentException if the object is malformed or lacks {@code seq} or {@code ts}
   */
  static int read(CharSequence text, int from, int to, CursorFields out) {
    out.clear();
    int i = expect(text, skipSpace(text, from, to), to, '{');
    i = skipSpace(text, i, to);
    if (i < to && text.charAt(i) == '}') {
      i++;
    } else {
      while (true) {
        i = expect(text, i, to, '"');
        int keyStart = i;
        i = skipStringBody(text, i, to);
        int field = field(text, keyStart, i - 1);
        i = expect(text, skipSpace(text, i, to), to, ':');
        i = skipSpace(text, i, to);
        i = field == 0 ? skipValue(text, i, to) : readInteger(text, i, to, field, out);
        i = skipSpace(text, i, to);
        if (i >= to) {
          throw new IllegalArgumentException("cursor JSON: object not closed");
        }
        char c = text.charAt(i++);
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw new IllegalArgumentException("cursor JSON: expected ',' or '}' at index " + (i - 1));
        }
        i = skipSpace(text, i, to);
      }
    }
    if (!out.has(CursorFields.SEQ) || !out.has(CursorFields.SENT_AT)) {
      throw new IllegalArgumentException("cursor JSON: 'seq' or 'ts' missing");
    }
    out.sentAtNanos += EPOCH_NANOS;
    return i;
  }

  /** @return the field the key names, 0 for keys the scanner skips; {@code end} is the closing quote */
  private static int field(CharSequence text, int start, int end) {
    int length = end - start;
    if (length == 1 && text.charAt(start) == 'u') {
      return CursorFields.USER;
    }
    if (length == 2 && text.charAt(start) == 't' && text.charAt(start + 1) == 's') {
      return CursorFields.SENT_AT;
    }
    if (length == 3 && text.charAt(start) == 's' && text.charAt(start + 1) == 'e'
        && text.charAt(start + 2) == 'q') {
      return CursorFields.SEQ;
    }
    return 0;
  }

  private static int readInteger(CharSequence text, int i, int to, int field, CursorFields out) {
    boolean negative = i < to && text.charAt(i) == '-';
    if (negative) {
      i++;
    }
    int digitsStart = i;
    long value = 0;
    while (i < to) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
      i++;
    }
    int digits = i - digitsStart;
    if (digits == 0 || digits > MAX_LONG_DIGITS || value < 0
        || (i < to && isNumberContinuation(text.charAt(i)))) {
      throw new IllegalArgumentException("cursor JSON: " + name(field) + " is not an integer of at most "
          + MAX_LONG_DIGITS + " digits");
    }
    value = negative ? -value : value;
    if (field == CursorFields.USER && value != (int) value) {
      throw new IllegalArgumentException("cursor JSON: 'u' is not an int");
    }
    out.set(field, value);
    return i;
  }

  private static boolean isNumberContinuation(char c) {
    return c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
  }

  private static String name(int field) {
    return switch (field) {
      case CursorFields.USER -> "'u'";
      case CursorFields.SEQ -> "'seq'";
      default -> "'ts'";
    };
  }

  /** Skips a value the scanner does not read: a number, literal, string, or nested object or array. */
  private static int skipValue(CharSequence text, int i, int to) {
    int depth = 0;
    int start = i;
    while (i < to) {
      char c = text.charAt(i);
      if (c == '"') {
        i = skipStringBody(text, i + 1, to);
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (depth == 0 && (c == ',' || isSpace(c))) {
        break;
      }
      i++;
    }
    if (i == start || depth != 0) {
      throw new IllegalArgumentException("cursor JSON: value missing or not closed at index " + start);
    }
    return i;
  }

  /** @param i the index just after the opening quote @return the index just after the closing quote */
  private static int skipStringBody(CharSequence text, int i, int to) {
    while (i < to) {
      char c = text.charAt(i++);
      if (c == '"') {
        return i;
      }
      if (c == '\\') {
        i++;
      }
    }
    throw new IllegalArgumentException("cursor JSON: string not closed");
  }

  private static int expect(CharSequence text, int i, int to, char expected) {
    if (i >= to || text.charAt(i) != expected) {
      throw new IllegalArgumentException("cursor JSON: expected '" + expected + "' at index " + i);
    }
    return i + 1;
  }

  private static int skipSpace(CharSequence text, int i, int to) {
    while (i < to && isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static void checkFinite(String axis, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("cursor " + axis + " must be finite for JSON, was " + value);
    }
  }
}
