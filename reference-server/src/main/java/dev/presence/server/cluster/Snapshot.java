package dev.presence.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.NullReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A room as Redis holds it at one point of its order: {@code seq} is the number of the last change included;
 * {@code ended} holds the seats their own nodes ended lately, with how they ended.
 */
record Snapshot(long seq, String epoch, List<SeatRecord> seats, Map<String, NullReason> ended) {
  /** @param reply what snapshot.lua returns: seq, epoch, the seat count, four fields per seat, two per ended seat */
  static Snapshot of(List<Object> reply) throws InvalidProtocolBufferException {
    if (reply.size() < 3) {
      throw new InvalidProtocolBufferException("snapshot reply has " + reply.size() + " fields");
    }
    int seatCount = Integer.parseInt(text(reply.get(2)));
    int endedStart = 3 + 4 * seatCount;
    if (seatCount < 0 || endedStart > reply.size() || (reply.size() - endedStart) % 2 != 0) {
      throw new InvalidProtocolBufferException(
          "snapshot reply has " + reply.size() + " fields for " + seatCount + " seats");
    }
    List<SeatRecord> seats = new ArrayList<>(seatCount);
    for (int i = 3; i < endedStart; i += 4) {
      seats.add(SeatRecord.of(text(reply.get(i)), (byte[]) reply.get(i + 1), (byte[]) reply.get(i + 2),
          Long.parseLong(text(reply.get(i + 3)))));
    }
    Map<String, NullReason> ended = new HashMap<>();
    for (int i = endedStart; i < reply.size(); i += 2) {
      ended.put(text(reply.get(i)), RoomEvent.reason((byte[]) reply.get(i + 1)));
    }
    return new Snapshot(Long.parseLong(text(reply.get(0))), text(reply.get(1)), seats, ended);
  }

  private static String text(Object field) {
    return Netstrings.text((byte[]) field);
  }
}
