package dev.presence.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;

/** A room as Redis holds it at one point of its order: {@code seq} is the number of the last change included. */
record Snapshot(long seq, String epoch, List<SeatRecord> seats) {
  /** @param reply what snapshot.lua returns: seq, epoch, then four fields per seat */
  static Snapshot of(List<Object> reply) throws InvalidProtocolBufferException {
    if (reply.size() < 2 || (reply.size() - 2) % 4 != 0) {
      throw new InvalidProtocolBufferException("snapshot reply has " + reply.size() + " fields");
    }
    List<SeatRecord> seats = new ArrayList<>();
    for (int i = 2; i < reply.size(); i += 4) {
      seats.add(SeatRecord.of(text(reply.get(i)), (byte[]) reply.get(i + 1), (byte[]) reply.get(i + 2),
          Long.parseLong(text(reply.get(i + 3)))));
    }
    return new Snapshot(Long.parseLong(text(reply.get(0))), text(reply.get(1)), seats);
  }

  private static String text(Object field) {
    return Netstrings.text((byte[]) field);
  }
}
