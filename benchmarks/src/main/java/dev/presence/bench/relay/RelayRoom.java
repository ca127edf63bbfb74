package dev.presence.bench.relay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The members of one room. Membership changes are rare and serialized by {@link RelayRooms}; forwarding
 * is the hot path and reads an immutable snapshot of the members without locking.
 */
final class RelayRoom {
  private static final Member[] NONE = new Member[0];

  private final String id;
  private final boolean coalesced;
  private volatile Member[] members = NONE;
  private RoomTicker ticker;

  /**
   * @param id the room id the members sent
   * @param coalesced whether events wait for {@link #tick()} instead of going out at once
   */
  RelayRoom(String id, boolean coalesced) {
    this.id = id;
    this.coalesced = coalesced;
  }

  /** @return the room id */
  String id() {
    return id;
  }

  /** @param sender a member @param event its opaque event, never parsed */
  void accept(Member sender, byte[] event) {
    if (coalesced) {
      sender.offer(event);
    } else {
      broadcast(BatchFrames.single(event));
    }
  }

  /** Serializes the latest event of each sender since the previous tick once and writes it to everyone. */
  void tick() {
    Member[] snapshot = members;
    List<byte[]> events = null;
    for (Member m : snapshot) {
      byte[] e = m.take();
      if (e != null) {
        if (events == null) {
          events = new ArrayList<>(snapshot.length);
        }
        events.add(e);
      }
    }
    if (events != null) {
      broadcast(BatchFrames.batch(events));
    }
  }

  private void broadcast(byte[] frame) {
    for (Member m : members) {
      m.send(frame);
    }
  }

  /** Called only by {@link RelayRooms}, which serializes membership changes per room. */
  void add(Member member) {
    Member[] grown = Arrays.copyOf(members, members.length + 1);
    grown[grown.length - 1] = member;
    members = grown;
  }

  /** Called only by {@link RelayRooms}. @return whether the room is empty now */
  boolean remove(Member member) {
    Member[] current = members;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == member) {
        Member[] shrunk = new Member[current.length - 1];
        System.arraycopy(current, 0, shrunk, 0, i);
        System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
        members = shrunk;
        break;
      }
    }
    return members.length == 0;
  }

  /** @param ticker what ticks the room until it empties */
  void tickedBy(RoomTicker ticker) {
    this.ticker = ticker;
    ticker.add(this);
  }

  /** Stops ticking; the room is discarded. */
  void discard() {
    if (ticker != null) {
      ticker.remove(this);
    }
  }
}
