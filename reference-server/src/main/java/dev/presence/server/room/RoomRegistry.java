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
  /** When the drain window ends on the rooms' clock; {@link #NOT_DRAINING} until a drain begins. */
  private volatile long drainDeadline = NOT_DRAINING;
  private static final long NOT_DRAINING = Long.MIN_VALUE;

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

  /**
   * Starts a drain (SPEC.md §13.2): sessions are still accepted, and each room announces the deadline to its
   * sessions that can move. The first call fixes the deadline.
   *
   * @param windowMillis how long the drain lasts from now
   * @return the deadline on the rooms' clock
   */
  public synchronized long beginDrain(long windowMillis) {
    if (drainDeadline == NOT_DRAINING) {
      drainDeadline = context.clock().nowMillis() + windowMillis;
    }
    return drainDeadline;
  }

  /** @return whether a drain has begun */
  public boolean draining() {
    return drainDeadline != NOT_DRAINING;
  }

  /** @return the end of the drain window on the rooms' clock; meaningful only while {@link #draining()} */
  public long drainDeadline() {
    return drainDeadline;
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
