package dev.presence.protocol;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import java.util.Map;
import java.util.Optional;

/**
 * The shape rules of a state that every JVM implementation of presence.v1 checks: its depth (PRS-STA-7), the
 * values JSON cannot carry (PRS-STA-8) and the unknown fields its canonical encoding leaves out (PRS-STA-3).
 * {@code spec/vectors/states.json} decides what they accept.
 */
public final class StateRules {
  private StateRules() {}

  /**
   * Everything the checks of {@code update_state} need, found in one walk over the state. The walk stops below
   * {@code maxDepth}, which already decides, so a pathologically deep state costs no more than a legal one.
   *
   * @param state the state
   * @param maxDepth the deepest allowed: Struct and ListValue values on the longest path, the state counting 1
   * @return what the walk found
   */
  public static Shape inspect(Struct state, int maxDepth) {
    Walk walk = new Walk(maxDepth);
    walk.struct(state, 1);
    return new Shape(walk.tooDeep, walk.tooDeep ? null : walk.invalid, !walk.tooDeep && walk.unknownFields);
  }

  /**
   * The depth of PRS-STA-7.
   *
   * @param state the state
   * @return the number of Struct and ListValue values on its longest path, the state itself counting 1
   */
  public static int depth(Struct state) {
    int depth = 1;
    while (inspect(state, depth).tooDeep()) {
      depth++;
    }
    return depth;
  }

  /**
   * The state as its canonical encoding carries it (PRS-STA-3).
   *
   * @param state a state within the depth limit
   * @return the state without unknown fields at any level
   */
  public static Struct withoutUnknownFields(Struct state) {
    Struct.Builder struct = Struct.newBuilder();
    state.getFieldsMap().forEach((key, value) -> struct.putFields(key, withoutUnknownFields(value)));
    return struct.build();
  }

  private static Value withoutUnknownFields(Value value) {
    switch (value.getKindCase()) {
      case STRUCT_VALUE:
        return Value.newBuilder().setStructValue(withoutUnknownFields(value.getStructValue())).build();
      case LIST_VALUE:
        ListValue.Builder list = ListValue.newBuilder();
        value.getListValue().getValuesList().forEach(v -> list.addValues(withoutUnknownFields(v)));
        return Value.newBuilder().setListValue(list).build();
      default:
        return value.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build();
    }
  }

  /** What {@link #inspect} found. A state found too deep is not judged further. */
  public static final class Shape {
    private final boolean tooDeep;
    private final String invalidValue;
    private final boolean unknownFields;

    private Shape(boolean tooDeep, String invalidValue, boolean unknownFields) {
      this.tooDeep = tooDeep;
      this.invalidValue = invalidValue;
      this.unknownFields = unknownFields;
    }

    /** @return whether some path nests more Struct and ListValue levels than allowed (PRS-STA-7) */
    public boolean tooDeep() {
      return tooDeep;
    }

    /**
     * @return a description of the first value JSON cannot carry (no kind, NaN or infinite, not well-formed
     *     Unicode, which is what invalid UTF-8 becomes when decoded leniently), never quoting it (PRS-STA-8)
     */
    public Optional<String> invalidValue() {
      return Optional.ofNullable(invalidValue);
    }

    /** @return whether some Struct, ListValue or Value carries fields the schema does not know (PRS-STA-3) */
    public boolean unknownFields() {
      return unknownFields;
    }
  }

  /** One pass; recursion is bounded by the depth limit, past which it stops. */
  private static final class Walk {
    private final int maxDepth;
    private boolean tooDeep;
    private String invalid;
    private boolean unknownFields;

    Walk(int maxDepth) {
      this.maxDepth = maxDepth;
    }

    void struct(Struct struct, int depth) {
      if (depth > maxDepth) {
        tooDeep = true;
        return;
      }
      unknownFields |= !struct.getUnknownFields().asMap().isEmpty();
      for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
        if (!Utf16.isWellFormed(field.getKey())) {
          invalidFound("a key that is not valid Unicode");
        }
        value(field.getValue(), depth);
        if (tooDeep) {
          return;
        }
      }
    }

    void list(ListValue list, int depth) {
      if (depth > maxDepth) {
        tooDeep = true;
        return;
      }
      unknownFields |= !list.getUnknownFields().asMap().isEmpty();
      for (Value value : list.getValuesList()) {
        value(value, depth);
        if (tooDeep) {
          return;
        }
      }
    }

    private void value(Value value, int containerDepth) {
      unknownFields |= !value.getUnknownFields().asMap().isEmpty();
      switch (value.getKindCase()) {
        case NUMBER_VALUE -> {
          if (!Double.isFinite(value.getNumberValue())) {
            invalidFound("a number that is NaN or infinite");
          }
        }
        case STRING_VALUE -> {
          if (!Utf16.isWellFormed(value.getStringValue())) {
            invalidFound("a string that is not valid Unicode");
          }
        }
        case STRUCT_VALUE -> struct(value.getStructValue(), containerDepth + 1);
        case LIST_VALUE -> list(value.getListValue(), containerDepth + 1);
        case KIND_NOT_SET -> invalidFound("a value with no kind set");
        default -> { }
      }
    }

    private void invalidFound(String description) {
      if (invalid == null) {
        invalid = description;
      }
    }
  }
}
