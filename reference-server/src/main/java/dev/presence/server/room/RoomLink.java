package dev.presence.server.room;

import dev.presence.protocol.v1.NullReason;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.session.Session;
import java.util.function.LongConsumer;

/**
 * A room's tie to the other nodes of a cluster, which hold sessions of the same room. The room tells it what
 * its own sessions do; it tells the room, through {@link Room}'s {@code remote*} methods, what the sessions on
 * other nodes do, in the room-wide order. Every callback runs on the room's executor.
 *
 * <p>Without a cluster a room has no link and orders changes itself.
 */
public interface RoomLink {
  /**
   * Registers a local session with the cluster, where the session limits of the room and of the user count
   * the sessions on every node (PRS-LIM-3).
   *
   * @param session a session about to be opened
   * @param admitted runs when the session may open
   * @param refused runs when a limit refuses it
   */
  void open(Session session, Runnable admitted, Runnable refused);

  /**
   * Publishes a change of a local session's state. {@code apply} receives the change's place in the room-wide
   * order, or {@link #UNORDERED} when the cluster cannot order it now and the room orders it locally.
   *
   * @param session an open local session
   * @param state the new state, or null when cleared
   * @param apply applies the change to the room
   */
  void stateChanged(Session session, EncodedState state, LongConsumer apply);

  /**
   * Withdraws a local session that ended.
   *
   * @param session the session
   * @param reason the null its user's subscribers get if it was the user's last session
   */
  void ended(Session session, NullReason reason);

  /**
   * Runs {@code task} once every change this node has published has its place in the room's order, so that an
   * answer sent then (a {@code pong}) proves to the client that the cluster holds what it sent before.
   *
   * @param task runs on the room's executor
   */
  void afterOwnChanges(Runnable task);

  /**
   * Runs {@code task} once this node has applied every change the cluster ordered before now, so that a snapshot
   * taken then shows the room as it is at this instant on every node (PRS-MEM-6, PRS-SUB-3).
   *
   * @param task runs on the room's executor
   */
  void afterAllChanges(Runnable task);

  /** The room is gone from this node: stop listening to it. */
  void close();

  /** Given to {@code apply} when a change has no room-wide sequence. */
  long UNORDERED = -1;
}
