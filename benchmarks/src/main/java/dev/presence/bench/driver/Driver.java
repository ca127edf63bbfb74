package dev.presence.bench.driver;

import java.util.Map;
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

  /**
   * @return faults since the driver was created, counted by reason: messages that did not decode, sends
   *     dropped, sessions ended or failed. Empty on a clean run; any count means some deliveries went
   *     unmeasured, so a run reports them next to its numbers.
   */
  Map<String, Long> faults();

  /** Releases the driver's connections and threads. */
  @Override
  void close();
}
