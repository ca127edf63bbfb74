package dev.presence.server.room;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import dev.presence.protocol.StateRules;

/**
 * What the non-fatal checks of {@code update_state} find in a state: whether it is deeper than allowed
 * (PRS-STA-7), whether it holds a value JSON cannot carry (PRS-STA-8), and whether it carries unknown fields,
 * which its canonical encoding leaves out (PRS-STA-3). A state found too deep is not walked further.
 */
final class StateShape {
  private final boolean tooDeep;
  private final boolean invalid;
  private final boolean unknownFields;

  private StateShape(boolean tooDeep, boolean invalid, boolean unknownFields) {
    this.tooDeep = tooDeep;
    this.invalid = invalid;
    this.unknownFields = unknownFields;
  }

  static StateShape of(Struct state, int maxDepth) {
    if (StateRules.isDeeperThan(state, maxDepth)) {
      return new StateShape(true, false, false);
    }
    return new StateShape(false, StateRules.invalidValue(state).isPresent(), hasUnknownFields(state));
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

  /** Only called on a state within the depth limit, so the recursion is bounded by it. */
  private static boolean hasUnknownFields(Struct struct) {
    if (!struct.getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    for (Value value : struct.getFieldsMap().values()) {
      if (hasUnknownFields(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasUnknownFields(Value value) {
    if (!value.getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    switch (value.getKindCase()) {
      case STRUCT_VALUE:
        return hasUnknownFields(value.getStructValue());
      case LIST_VALUE:
        ListValue list = value.getListValue();
        if (!list.getUnknownFields().asMap().isEmpty()) {
          return true;
        }
        for (Value v : list.getValuesList()) {
          if (hasUnknownFields(v)) {
            return true;
          }
        }
        return false;
      default:
        return false;
    }
  }
}
