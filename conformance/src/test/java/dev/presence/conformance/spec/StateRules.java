package dev.presence.conformance.spec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

/** PRS-STA-3, STA-7, STA-8 and the update_state precedence of PRS-ERR-6, against the default limits. */
final class StateRules {
  static final int MAX_STATE_BYTES = 8192;
  static final int MAX_STATE_DEPTH = 32;

  private StateRules() {}

  /** Returns ok or the ProtocolError reason for an update_state carrying these Struct bytes. */
  static String verdict(byte[] encoding) {
    Struct state;
    try {
      state = Struct.parseFrom(encoding);
    } catch (InvalidProtocolBufferException e) {
      return "INVALID_STATE"; // protobuf-java refuses invalid UTF-8 in keys and strings at parse time
    }
    if (depth(state) > MAX_STATE_DEPTH) {
      return "STATE_TOO_DEEP";
    }
    if (!allValuesSet(state)) {
      return "INVALID_STATE";
    }
    return state.getSerializedSize() > MAX_STATE_BYTES ? "STATE_TOO_LARGE" : "ok";
  }

  /** Struct and ListValue values on the longest path, the state itself counting 1. */
  static int depth(Struct s) {
    return 1 + s.getFieldsMap().values().stream().mapToInt(StateRules::depth).max().orElse(0);
  }

  private static int depth(Value v) {
    return switch (v.getKindCase()) {
      case STRUCT_VALUE -> depth(v.getStructValue());
      case LIST_VALUE -> depth(v.getListValue());
      default -> 0;
    };
  }

  private static int depth(ListValue l) {
    return 1 + l.getValuesList().stream().mapToInt(StateRules::depth).max().orElse(0);
  }

  private static boolean allValuesSet(Struct s) {
    return s.getFieldsMap().values().stream().allMatch(StateRules::valueSet);
  }

  private static boolean valueSet(Value v) {
    return switch (v.getKindCase()) {
      case KIND_NOT_SET -> false;
      case NUMBER_VALUE -> Double.isFinite(v.getNumberValue());
      case STRUCT_VALUE -> allValuesSet(v.getStructValue());
      case LIST_VALUE -> v.getListValue().getValuesList().stream().allMatch(StateRules::valueSet);
      default -> true;
    };
  }
}
