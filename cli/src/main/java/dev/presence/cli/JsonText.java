package dev.presence.cli;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.client.State;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * States as JSON text on the command line: parsed from arguments, and printed compactly with numbers as JSON
 * writes them.
 *
 * <p>The wire holds every number as a double, and protobuf's JSON printer shows {@code 1} as {@code 1.0}, so a
 * state would not print as the JSON it was sent as. Numbers here follow ECMAScript's {@code JSON.stringify}, the
 * form a JavaScript client prints: integral values up to 10<sup>21</sup> without a fraction, others in the shortest
 * form that reads back as the same double.
 */
final class JsonText {
  /** Enough significant digits to tell any two doubles apart. */
  private static final int MAX_DIGITS = 17;
  /** JSON.stringify writes plain digits below 10^21 and an exponent from there. */
  private static final int MAX_PLAIN_EXPONENT = 21;
  /** ... and for values below 10^-6. */
  private static final int MIN_PLAIN_EXPONENT = -6;

  private JsonText() {}

  /**
   * The state as one line of JSON.
   *
   * @param state the state
   * @return compact JSON text
   */
  static String of(State state) {
    StringBuilder sb = new StringBuilder();
    appendStruct(sb, state.toStruct());
    return sb.toString();
  }

  /**
   * Parses a state given on the command line.
   *
   * @param spec the command, for the usage error
   * @param name the option or parameter that gave it
   * @param json its text
   * @return the state
   * @throws ParameterException if the text is not a JSON object; the message leaves the text out, as it may be
   *     someone's presence
   */
  static State parse(CommandSpec spec, String name, String json) {
    try {
      return State.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), name + ": not a JSON object");
    }
  }

  /**
   * A number as JSON text.
   *
   * @param d the number
   * @return its shortest JSON form; {@code null} for NaN and infinities, which JSON cannot hold
   */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    if (d == 0) {
      return "0";
    }
    BigDecimal shortest = shortest(d).stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    int k = digits.length();
    // The value is 0.<digits> x 10^n.
    int n = k - shortest.scale();
    StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
    if (k <= n && n <= MAX_PLAIN_EXPONENT) {
      sb.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= MAX_PLAIN_EXPONENT) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (MIN_PLAIN_EXPONENT < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      sb.append('e').append(n - 1 > 0 ? "+" : "-").append(Math.abs(n - 1));
    }
    return sb.toString();
  }

  // Double.toString is not always shortest before Java 19, so the digits are searched for: the nearest decimal of
  // p digits reads back as d whenever any decimal of p digits does.
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int p = 1; p < MAX_DIGITS; p++) {
      BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == d) {
        return candidate;
      }
    }
    return exact.round(new MathContext(MAX_DIGITS, RoundingMode.HALF_EVEN));
  }

  private static void appendValue(StringBuilder sb, Value v) {
    switch (v.getKindCase()) {
      case STRUCT_VALUE -> appendStruct(sb, v.getStructValue());
      case LIST_VALUE -> appendList(sb, v.getListValue());
      case STRING_VALUE -> appendString(sb, v.getStringValue());
      case NUMBER_VALUE -> sb.append(number(v.getNumberValue()));
      case BOOL_VALUE -> sb.append(v.getBoolValue());
      case NULL_VALUE, KIND_NOT_SET -> sb.append("null");
    }
  }

  private static void appendStruct(StringBuilder sb, Struct s) {
    sb.append('{');
    Iterator<Map.Entry<String, Value>> it = s.getFieldsMap().entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Value> e = it.next();
      appendString(sb, e.getKey());
      sb.append(':');
      appendValue(sb, e.getValue());
      if (it.hasNext()) {
        sb.append(',');
      }
    }
    sb.append('}');
  }

  private static void appendList(StringBuilder sb, ListValue l) {
    sb.append('[');
    for (int i = 0; i < l.getValuesCount(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      appendValue(sb, l.getValues(i));
    }
    sb.append(']');
  }

  private static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          // States come from other users and go to a terminal: control characters (C0, DEL, C1) are escaped
          // so that none can move the cursor or recolour the screen.
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
