package dev.presence.protocol;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Map;
import java.util.Optional;

/**
 * The shape rules of a state that every JVM implementation of presence.v1 checks: its depth (PRS-STA-7) and the
 * values JSON cannot carry (PRS-STA-8). {@code spec/vectors/states.json} decides what they accept. Both walks stop
 * once the answer is known, so a pathologically deep state costs no more than a legal one.
 */
public final class StateRules {
  private StateRules() {}

  /**
   * Tells whether a state nests deeper than a limit: the depth counts the Struct and ListValue values on the
   * longest path, the state itself counting 1.
   *
   * @param state the state
   * @param maxDepth the limit; every state is deeper than 0
   * @return whether some path is deeper than {@code maxDepth}
   */
  public static boolean isDeeperThan(Struct state, int maxDepth) {
    return maxDepth < 1 || deeperThan(state, maxDepth - 1);
  }

  /**
   * The depth of PRS-STA-7.
   *
   * @param state the state
   * @return the number of Struct and ListValue values on its longest path, the state itself counting 1
   */
  public static int depth(Struct state) {
    int depth = 1;
    while (deeperThan(state, depth - 1)) {
      depth++;
    }
    return depth;
  }

  /**
   * Finds a value JSON cannot carry: a Value with no kind set, a number that is NaN or infinite, or a key or
   * string that is not well-formed Unicode (what invalid UTF-8 becomes when decoded leniently, PRS-IDN-7).
   *
   * @param state the state
   * @return a description of the first such value, never quoting it, or empty when there is none
   */
  public static Optional<String> invalidValue(Struct state) {
    return Optional.ofNullable(invalidIn(state));
  }

  /** Whether the Struct holds a container more than {@code levelsLeft} levels further in. */
  private static boolean deeperThan(Struct struct, int levelsLeft) {
    for (Value value : struct.getFieldsMap().values()) {
      if (containerDeeperThan(value, levelsLeft)) {
        return true;
      }
    }
    return false;
  }

  private static boolean deeperThan(ListValue list, int levelsLeft) {
    for (Value value : list.getValuesList()) {
      if (containerDeeperThan(value, levelsLeft)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containerDeeperThan(Value value, int levelsLeft) {
    return switch (value.getKindCase()) {
      case STRUCT_VALUE -> levelsLeft == 0 || deeperThan(value.getStructValue(), levelsLeft - 1);
      case LIST_VALUE -> levelsLeft == 0 || deeperThan(value.getListValue(), levelsLeft - 1);
      default -> false;
    };
  }

  private static String invalidIn(Struct struct) {
    for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
      String found = Utf16.isWellFormed(field.getKey())
          ? invalidIn(field.getValue())
          : "a key that is not valid Unicode";
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
      case STRING_VALUE -> Utf16.isWellFormed(value.getStringValue()) ? null : "a string that is not valid Unicode";
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
}
