package dev.presence.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import dev.presence.protocol.v1.User;
import dev.presence.server.fanout.EncodedState;
import java.util.Arrays;
import java.util.List;

/**
 * One seat as Redis holds it, or as a change names it. A state travels as empty (none) or {@code '='} followed
 * by the Struct's bytes, because an empty Struct encodes to no bytes at all.
 */
record SeatRecord(String seat, String node, User user, Struct state, long stateSequence) {
  private static final byte STATE_MARK = '=';

  static byte[] encodeState(EncodedState state) {
    if (state == null) {
      return new byte[0];
    }
    byte[] out = new byte[state.size() + 1];
    out[0] = STATE_MARK;
    state.copyEncodingTo(out, 1);
    return out;
  }

  static Struct decodeState(byte[] encoded) throws InvalidProtocolBufferException {
    if (encoded.length == 0) {
      return null;
    }
    if (encoded[0] != STATE_MARK) {
      throw new InvalidProtocolBufferException("state without its mark");
    }
    return Struct.parseFrom(Arrays.copyOfRange(encoded, 1, encoded.length));
  }

  /** @param record {@code ns(node) ns(user id) ns(User bytes)} as the open script stores it */
  static SeatRecord of(String seat, byte[] record, byte[] state, long stateSequence)
      throws InvalidProtocolBufferException {
    List<byte[]> parts = Netstrings.parse(record);
    if (parts.size() != 3) {
      throw new InvalidProtocolBufferException("seat record has " + parts.size() + " parts");
    }
    return new SeatRecord(seat, Netstrings.text(parts.get(0)), User.parseFrom(parts.get(2)), decodeState(state),
        stateSequence);
  }
}
