package dev.presence.bench.loadgen;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One run's numbers as flat key/value pairs: what the load generator prints as its last line and the
 * suite parses back. Values carry no spaces.
 */
public final class LoadResult {
  /** The prefix of the line a load generator process prints its result on. */
  public static final String LINE_PREFIX = "RESULT ";

  /** The prefix of the line a failed run prints instead, followed by the reason. */
  public static final String FAILED_PREFIX = "FAILED ";

  private final Map<String, String> values;

  private LoadResult(Map<String, String> values) {
    this.values = values;
  }

  /** @return an empty, ordered result to fill */
  public static LoadResult empty() {
    return new LoadResult(new LinkedHashMap<>());
  }

  /** @param line a line starting with {@link #LINE_PREFIX} @return its pairs */
  public static LoadResult parse(String line) {
    if (!line.startsWith(LINE_PREFIX)) {
      throw new IllegalArgumentException("not a result line: " + line);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : line.substring(LINE_PREFIX.length()).trim().split(" ")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("malformed pair '" + pair + "' in result line");
      }
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return new LoadResult(values);
  }

  /** @return this, with the pair added */
  public LoadResult put(String key, String value) {
    if (value.indexOf(' ') >= 0 || key.indexOf(' ') >= 0 || key.indexOf('=') >= 0) {
      throw new IllegalArgumentException("keys and values carry no spaces: " + key + "=" + value);
    }
    values.put(key, value);
    return this;
  }

  /** @return this, with the number added at up to 4 decimals */
  public LoadResult put(String key, double value) {
    return put(key, Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "NaN");
  }

  /** @return this, with the count added */
  public LoadResult put(String key, long value) {
    return put(key, Long.toString(value));
  }

  /** @param key a key @return its number, NaN if absent or not a number */
  public double number(String key) {
    String v = values.get(key);
    try {
      return v == null ? Double.NaN : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** @param key a key @return its text, or null */
  public String text(String key) {
    return values.get(key);
  }

  /** @return the pairs, in insertion order */
  public Map<String, String> values() {
    return Collections.unmodifiableMap(values);
  }

  /** @return the line to print */
  public String toLine() {
    StringBuilder line = new StringBuilder(LINE_PREFIX);
    values.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
    return line.toString().trim();
  }
}
