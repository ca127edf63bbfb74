package dev.presence.bench.driver;

import java.util.concurrent.CompletableFuture;

/** How the load generator talks to one kind of server. Thread-safe. */
public interface Driver extends AutoCloseable {
  /**
   * Opens a session for a user in a room, subscribed to every user in that room.
   *
   * @param roomId the room
   * @param user the user's number, unique across the run
   * @param receiver where this session's traffic goes
   * @return completes once the session can both send and receive
   */
  CompletableFuture<UserSession> open(String roomId, int user, Receiver receiver);

  /** Releases the driver's connections and threads. */
  @Override
  void close();
}
