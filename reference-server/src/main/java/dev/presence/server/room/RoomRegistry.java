package dev.presence.server.room;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live rooms. A room exists exactly while some session holds a reference to it (opening or open),
 * so an empty room costs nothing. Reference counts change only inside {@link ConcurrentHashMap#compute},
 * which makes "create if absent" and "remove when the last session leaves" atomic with each other.
 */
public final class RoomRegistry {
  private final RoomContext context;
  private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
  private final AtomicInteger sessions = new AtomicInteger();
  private volatile boolean shuttingDown;

  /** @param context shared by every room */
  public RoomRegistry(RoomContext context) {
    this.context = context;
  }

  /**
   * Reserves a session slot in a room, creating the room if needed.
   *
   * @param roomId a valid room id
   * @return the room, or null when the server-wide session limit is reached
   */
  public Room acquire(String roomId) {
    if (sessions.incrementAndGet() > context.config().maxSessionsTotal()) {
      sessions.decrementAndGet();
      return null;
    }
    return rooms.compute(roomId, (id, room) -> {
      Room r = room == null ? new Room(id, context, this) : room;
      r.references++;
      return r;
    });
  }

  /** @param room a room acquired earlier; called once per successful {@link #acquire} */
  void release(Room room) {
    sessions.decrementAndGet();
    rooms.compute(room.id(), (id, current) -> {
      if (current != room) {
        return current;
      }
      if (--room.references == 0) {
        room.discard();
        return null;
      }
      return room;
    });
  }

  /** Makes every later open fail with SHUTTING_DOWN (PRS-END-5). */
  public void beginShutdown() {
    shuttingDown = true;
  }

  /** @return whether the server refuses new sessions */
  public boolean shuttingDown() {
    return shuttingDown;
  }

  /** @return the number of live rooms */
  public int roomCount() {
    return rooms.size();
  }

  /** @return the number of sessions opening or open */
  public int sessionCount() {
    return sessions.get();
  }

  /** @return a snapshot of the live rooms */
  public List<Room> rooms() {
    return new ArrayList<>(rooms.values());
  }
}
