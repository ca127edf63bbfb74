package dev.presence.server.room;

/** Gives each room of this node its tie to a cluster; see {@link RoomLink}. */
@FunctionalInterface
public interface Replication {
  /**
   * @param room a room just created on this node
   * @return its link, which starts listening at once
   */
  RoomLink link(Room room);
}
