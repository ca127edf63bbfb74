package dev.presence.conformance.spec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import dev.presence.protocol.StateRules;

/** PRS-STA-3, STA-7, STA-8 and the update_state precedence of PRS-ERR-6, against the default limits. */
final class StateVerdicts {
  static final int MAX_STATE_BYTES = 8192;
  static final int MAX_STATE_DEPTH = 32;

  private StateVerdicts() {}

  /** Returns ok or the ProtocolError reason for an update_state carrying these Struct bytes. */
  static String verdict(byte[] encoding) {
    Struct state;
    try {
      state = Struct.parseFrom(encoding);
    } catch (InvalidProtocolBufferException e) {
      return "INVALID_STATE"; // protobuf-java refuses invalid UTF-8 in keys and strings at parse time
    }
    StateRules.Shape shape = StateRules.inspect(state, MAX_STATE_DEPTH);
    if (shape.tooDeep()) {
      return "STATE_TOO_DEEP";
    }
    if (shape.invalidValue().isPresent()) {
      return "INVALID_STATE";
    }
    return state.getSerializedSize() > MAX_STATE_BYTES ? "STATE_TOO_LARGE" : "ok";
  }

  /** Struct and ListValue values on the longest path, the state itself counting 1. */
  static int depth(Struct s) {
    return StateRules.depth(s);
  }
}
