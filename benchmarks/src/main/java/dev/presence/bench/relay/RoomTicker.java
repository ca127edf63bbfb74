package dev.presence.bench.relay;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ticks every coalescing room assigned to one event loop from a single periodic task. A timer per room
 * would wake the loop once per room and tick; at 400 rooms that alone cost most of a core on the test
 * machine while the relay was idle.
 */
final class RoomTicker implements Runnable {
  private final Set<RelayRoom> rooms = ConcurrentHashMap.newKeySet();

  /** @param room a room to tick from now on */
  void add(RelayRoom room) {
    rooms.add(room);
  }

  /** @param room a discarded room */
  void remove(RelayRoom room) {
    rooms.remove(room);
  }

  @Override
  public void run() {
    for (RelayRoom room : rooms) {
      room.tick();
    }
  }
}
