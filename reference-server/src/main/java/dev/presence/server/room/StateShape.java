package dev.presence.server.room;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import java.util.Map;

/**
 * What one walk over a state finds for the non-fatal checks of {@code update_state}: whether it is deeper
 * than allowed (PRS-STA-7), whether it holds a value JSON cannot carry (PRS-STA-8), and whether it carries
 * unknown fields, which its canonical encoding leaves out (PRS-STA-3). The walk stops one level below the
 * limit, which already decides, so its work and recursion stay bounded.
 */
final class StateShape {
  private final int maxDepth;
  private boolean tooDeep;
  private boolean invalid;
  private boolean unknownFields;

  private StateShape(int maxDepth) {
    this.maxDepth = maxDepth;
  }

  static StateShape of(Struct state, int maxDepth) {
    StateShape shape = new StateShape(maxDepth);
    shape.struct(state, 1);
    return shape;
  }

  /** @return whether some path nests more Struct and ListValue levels than allowed */
  boolean tooDeep() {
    return tooDeep;
  }

  /** @return whether a value has no kind or a non-finite number, or a key or string is not well-formed Unicode */
  boolean invalid() {
    return invalid;
  }

  /** @return whether some Struct, ListValue or Value carries fields the schema does not know */
  boolean unknownFields() {
    return unknownFields;
  }

  /**
   * @param state a state that is not too deep
   * @return the state without unknown fields, as the server re-encodes it (PRS-STA-3)
   */
  static Struct canonical(Struct state) {
    Struct.Builder struct = Struct.newBuilder();
    state.getFieldsMap().forEach((key, value) -> struct.putFields(key, canonical(value)));
    return struct.build();
  }

  private static Value canonical(Value value) {
    switch (value.getKindCase()) {
      case STRUCT_VALUE:
        return Value.newBuilder().setStructValue(canonical(value.getStructValue())).build();
      case LIST_VALUE:
        ListValue.Builder list = ListValue.newBuilder();
        value.getListValue().getValuesList().forEach(v -> list.addValues(canonical(v)));
        return Value.newBuilder().setListValue(list).build();
      default:
        return value.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build();
    }
  }

  private void struct(Struct struct, int depth) {
    if (depth > maxDepth) {
      tooDeep = true;
      return;
    }
    unknownFields |= !struct.getUnknownFields().isEmpty();
    for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
      invalid |= !wellFormed(field.getKey());
      value(field.getValue(), depth);
      if (tooDeep) {
        return;
      }
    }
  }

  private void list(ListValue list, int depth) {
    if (depth > maxDepth) {
      tooDeep = true;
      return;
    }
    unknownFields |= !list.getUnknownFields().isEmpty();
    for (Value v : list.getValuesList()) {
      value(v, depth);
      if (tooDeep) {
        return;
      }
    }
  }

  private void value(Value value, int containerDepth) {
    unknownFields |= !value.getUnknownFields().isEmpty();
    switch (value.getKindCase()) {
      case NUMBER_VALUE -> invalid |= !Double.isFinite(value.getNumberValue());
      case STRING_VALUE -> invalid |= !wellFormed(value.getStringValue());
      case STRUCT_VALUE -> struct(value.getStructValue(), containerDepth + 1);
      case LIST_VALUE -> list(value.getListValue(), containerDepth + 1);
      case KIND_NOT_SET -> invalid = true;
      default -> { }
    }
  }

  /**
   * Parsed UTF-8 never holds a lone surrogate; the lenient decoder writes one for each byte of invalid
   * UTF-8 (PRS-IDN-7), so this is where such a state is refused.
   */
  private static boolean wellFormed(String s) {
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
