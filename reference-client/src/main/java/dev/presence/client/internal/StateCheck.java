package dev.presence.client.internal;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.client.PresenceException;
import java.util.Map;

/**
 * PRS-THC-6: a state is checked against the advertised limits before it is sent, in the server's order of
 * PRS-ERR-6 (depth, values, size), so that a state the server would refuse is reported to the application and
 * never sent. The messages describe the violation, never the content.
 */
final class StateCheck {
  private StateCheck() {}

  /**
   * Checks a state.
   *
   * @return the violation as a non-fatal exception whose reason is the server's ({@code STATE_TOO_DEEP},
   *     {@code INVALID_STATE} or {@code STATE_TOO_LARGE}), or null when the state is acceptable
   */
  static PresenceException violation(Struct state, ServerLimits limits) {
    if (depth(state, limits.maxStateDepth()) > limits.maxStateDepth()) {
      return failure("STATE_TOO_DEEP", "state is nested deeper than " + limits.maxStateDepth() + " levels");
    }
    String invalid = invalidIn(state);
    if (invalid != null) {
      return failure("INVALID_STATE", "state contains " + invalid);
    }
    // Java's encoder writes the canonical encoding of PRS-STA-3: every map entry once with key and value.
    int size = state.getSerializedSize();
    if (limits.maxStateBytes() > 0 && size > limits.maxStateBytes()) {
      return failure("STATE_TOO_LARGE",
          "state is " + size + " bytes; the server accepts at most " + limits.maxStateBytes());
    }
    return null;
  }

  private static PresenceException failure(String reason, String message) {
    return new PresenceException(reason, message, false, null);
  }

  /**
   * The depth of PRS-STA-7: Struct and ListValue values on the longest path, the state itself counting 1. Stops
   * counting past {@code limit + 1}, so a pathologically deep state costs no more than a legal one.
   */
  static int depth(Struct struct, int limit) {
    int deepest = 0;
    for (Value v : struct.getFieldsMap().values()) {
      deepest = Math.max(deepest, depth(v, limit - 1));
      if (deepest >= limit) {
        break;
      }
    }
    return 1 + deepest;
  }

  private static int depth(Value value, int limit) {
    if (limit < 0) {
      return 1;
    }
    return switch (value.getKindCase()) {
      case STRUCT_VALUE -> depth(value.getStructValue(), limit);
      case LIST_VALUE -> depth(value.getListValue(), limit);
      default -> 0;
    };
  }

  private static int depth(ListValue list, int limit) {
    int deepest = 0;
    for (Value v : list.getValuesList()) {
      deepest = Math.max(deepest, depth(v, limit - 1));
      if (deepest >= limit) {
        break;
      }
    }
    return 1 + deepest;
  }

  /** PRS-STA-8's invalid values, as the Java types can carry them: no kind, NaN or infinite, unpaired surrogates. */
  private static String invalidIn(Struct struct) {
    for (Map.Entry<String, Value> e : struct.getFieldsMap().entrySet()) {
      String found = isWellFormed(e.getKey()) ? invalidIn(e.getValue()) : "a key that is not valid Unicode";
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String invalidIn(Value value) {
    return switch (value.getKindCase()) {
      case KIND_NOT_SET -> "a value with no kind set";
      case NUMBER_VALUE -> Double.isFinite(value.getNumberValue()) ? null : "a number that is NaN or infinite";
      case STRING_VALUE -> isWellFormed(value.getStringValue()) ? null : "a string that is not valid Unicode";
      case STRUCT_VALUE -> invalidIn(value.getStructValue());
      case LIST_VALUE -> {
        for (Value v : value.getListValue().getValuesList()) {
          String found = invalidIn(v);
          if (found != null) {
            yield found;
          }
        }
        yield null;
      }
      default -> null;
    };
  }

  private static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
