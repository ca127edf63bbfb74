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
  private final int fingerprint;

  EncodedState(Struct struct, byte[] encoding, int fingerprint) {
    this.struct = struct;
    this.encoding = encoding;
    this.fingerprint = fingerprint;
  }

  /**
   * @param struct a state without unknown fields
   * @return the state with its canonical encoding
   */
  public static EncodedState of(Struct struct) {
    return StateWire.encode(struct);
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

  /**
   * Copies the canonical encoding, which is the {@code Struct}'s protobuf encoding, so that a store can keep the
   * state without encoding it again.
   *
   * @param destination the array to copy into, with {@link #size()} bytes free from {@code offset}
   * @param offset where the encoding starts in {@code destination}
   */
  public void copyEncodingTo(byte[] destination, int offset) {
    System.arraycopy(encoding, 0, destination, offset, encoding.length);
  }

  /** The caller must not change the array. */
  byte[] encoding() {
    return encoding;
  }

  /**
   * Whether two states are equal as PRS-EVT-7 means it, in constant time when they are not: neither the length
   * of a canonical encoding nor the fingerprint made with it depends on the order the state's keys were set in,
   * so states that differ in either are unequal, and equal bytes mean equal states. Only states whose bytes
   * differ but whose lengths and fingerprints agree (the same entries set in another order, or a rare
   * collision) are compared entry by entry. Subscribers compare every new state with their view, so this
   * runs once per delivery.
   *
   * @param a a state, or null
   * @param b a state, or null
   * @return whether both are null or both hold equal states
   */
  public static boolean same(EncodedState a, EncodedState b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.encoding.length != b.encoding.length || a.fingerprint != b.fingerprint) {
      return false;
    }
    return Arrays.equals(a.encoding, b.encoding) || a.struct.equals(b.struct);
  }
}
