package dev.presence.conformance.client.server;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Limits;
import java.util.Optional;

/** The checks of an update's state, in the order of PRS-ERR-6 (after STATE_MISSING). */
final class StateRules {
  private StateRules() {}

  /** Returns the first reason the state breaks, or empty when the server accepts it. */
  static Optional<ErrorReason> violation(Struct state, Limits limits) {
    if (limits.getMaxStateDepth() > 0 && depth(state) > limits.getMaxStateDepth()) {
      return Optional.of(ErrorReason.ERROR_REASON_STATE_TOO_DEEP);
    }
    if (!valid(state)) {
      return Optional.of(ErrorReason.ERROR_REASON_INVALID_STATE);
    }
    if (state.getSerializedSize() > limits.getMaxStateBytes()) {
      return Optional.of(ErrorReason.ERROR_REASON_STATE_TOO_LARGE);
    }
    return Optional.empty();
  }

  /** Depth as PRS-STA-7 counts it: Structs and ListValues on the longest path, the state itself counting 1. */
  static int depth(Struct struct) {
    int deepest = 0;
    for (Value v : struct.getFieldsMap().values()) {
      deepest = Math.max(deepest, depth(v));
    }
    return 1 + deepest;
  }

  private static int depth(Value value) {
    switch (value.getKindCase()) {
      case STRUCT_VALUE:
        return depth(value.getStructValue());
      case LIST_VALUE:
        return depth(value.getListValue());
      default:
        return 0;
    }
  }

  private static int depth(ListValue list) {
    int deepest = 0;
    for (Value v : list.getValuesList()) {
      deepest = Math.max(deepest, depth(v));
    }
    return 1 + deepest;
  }

  private static boolean valid(Struct struct) {
    return struct.getFieldsMap().values().stream().allMatch(StateRules::valid);
  }

  private static boolean valid(Value value) {
    switch (value.getKindCase()) {
      case KIND_NOT_SET:
        return false;
      case NUMBER_VALUE:
        return Double.isFinite(value.getNumberValue());
      case STRUCT_VALUE:
        return valid(value.getStructValue());
      case LIST_VALUE:
        return value.getListValue().getValuesList().stream().allMatch(StateRules::valid);
      default:
        return true;
    }
  }
}
