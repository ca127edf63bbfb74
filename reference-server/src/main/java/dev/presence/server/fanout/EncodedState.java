package dev.presence.server.fanout;

import com.google.protobuf.Struct;
import java.util.Arrays;

/**
 * A state as the server holds it once accepted: the parsed {@code Struct} and its canonical encoding
 * (PRS-STA-3), made once when the state enters the server. The size check, the comparison with the previous
 * state (PRS-EVT-7) and every event that carries the state read the encoding, so none of them walks the
 * {@code Struct} again. Immutable.
 */
public final class EncodedState {
  private final Struct struct;
  private final byte[] encoding;

  private EncodedState(Struct struct, byte[] encoding) {
    this.struct = struct;
    this.encoding = encoding;
  }

  /**
   * @param struct a state without unknown fields
   * @return the state with its canonical encoding
   */
  public static EncodedState of(Struct struct) {
    return new EncodedState(struct, StateWire.encode(struct));
  }

  /**
   * @param state a state, or null
   * @return its {@code Struct}, or null
   */
  public static Struct structOf(EncodedState state) {
    return state == null ? null : state.struct;
  }

  /** @return the state */
  public Struct struct() {
    return struct;
  }

  /** @return the size of PRS-STA-3: the length of the canonical encoding */
  public int size() {
    return encoding.length;
  }

  /** The caller must not change the array. */
  byte[] encoding() {
    return encoding;
  }

  /**
   * Whether two states are equal as PRS-EVT-7 means it. The length of a canonical encoding does not depend on
   * the order of map entries, so unequal lengths tell unequal states apart at once, and equal bytes mean equal
   * states; only states of one length whose bytes differ (usually in a value) are compared entry by entry,
   * because the same entries written in another order are the same state.
   *
   * @param a a state, or null
   * @param b a state, or null
   * @return whether both are null or both hold equal states
   */
  public static boolean same(EncodedState a, EncodedState b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.encoding.length != b.encoding.length) {
      return false;
    }
    return Arrays.equals(a.encoding, b.encoding) || a.struct.equals(b.struct);
  }
}
