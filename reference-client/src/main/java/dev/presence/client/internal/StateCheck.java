package dev.presence.client.internal;

import com.google.protobuf.Struct;
import dev.presence.client.PresenceException;
import dev.presence.protocol.StateRules;
import java.util.Optional;

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
    StateRules.Shape shape = StateRules.inspect(state, limits.maxStateDepth());
    if (shape.tooDeep()) {
      return failure("STATE_TOO_DEEP", "state is nested deeper than " + limits.maxStateDepth() + " levels");
    }
    Optional<String> invalid = shape.invalidValue();
    if (invalid.isPresent()) {
      return failure("INVALID_STATE", "state contains " + invalid.get());
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
}
