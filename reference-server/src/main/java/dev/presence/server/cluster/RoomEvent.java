package dev.presence.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.User;
import java.util.List;

/**
 * One change of a room as a script published it: a seat opened ({@code O}), changed its state ({@code S}) or
 * ended ({@code E}), with its place in the room's order and the room's epoch, which changes whenever Redis
 * starts the room afresh.
 */
record RoomEvent(String epoch, long seq, char kind, String seat, String node, User user, Struct state,
    NullReason reason) {
  static final char OPENED = 'O';
  static final char STATE = 'S';
  static final char ENDED = 'E';

  static RoomEvent decode(byte[] message) throws InvalidProtocolBufferException {
    List<byte[]> f;
    try {
      f = Netstrings.parse(message);
    } catch (IllegalArgumentException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    }
    if (f.size() != 7 || f.get(2).length != 1) {
      throw new InvalidProtocolBufferException("room event has " + f.size() + " fields");
    }
    String epoch = Netstrings.text(f.get(0));
    long seq;
    try {
      seq = Long.parseLong(Netstrings.text(f.get(1)));
    } catch (NumberFormatException e) {
      throw new InvalidProtocolBufferException("room event without a sequence");
    }
    char kind = (char) f.get(2)[0];
    String seat = Netstrings.text(f.get(3));
    String node = Netstrings.text(f.get(4));
    switch (kind) {
      case OPENED:
        return new RoomEvent(epoch, seq, kind, seat, node, User.parseFrom(f.get(5)),
            SeatRecord.decodeState(f.get(6)), null);
      case STATE:
        return new RoomEvent(epoch, seq, kind, seat, node, null, SeatRecord.decodeState(f.get(6)), null);
      case ENDED:
        return new RoomEvent(epoch, seq, kind, seat, node, null, null, reason(f.get(5)));
      default:
        throw new InvalidProtocolBufferException("unknown room event kind " + kind);
    }
  }

  /** @return the null reason a script wrote as its number; {@code TIMED_OUT} for one this node cannot read */
  static NullReason reason(byte[] number) {
    try {
      NullReason reason = NullReason.forNumber(Integer.parseInt(Netstrings.text(number)));
      return reason == null ? NullReason.NULL_REASON_TIMED_OUT : reason;
    } catch (NumberFormatException e) {
      return NullReason.NULL_REASON_TIMED_OUT;
    }
  }
}
