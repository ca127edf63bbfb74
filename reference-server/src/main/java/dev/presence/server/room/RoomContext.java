package dev.presence.server.room;

import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Clock;
import dev.presence.server.internal.Metrics;
import dev.presence.server.internal.Timer;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What every room shares: settings, time, where their serial executors run, and the counters.
 *
 * @param config validated settings
 * @param clock monotonic time
 * @param timer delayed tasks
 * @param roomThreads gives each new room the executor its serial executor drains on; in production one
 *     event loop per room, so a room stays on one thread and never hops between loops
 * @param metrics what the rooms count
 * @param replication ties each room to the other nodes of a cluster, or null for a single node
 * @param logsSessions whether rooms log each session's opening and end; off for the warm-up's private rooms
 * @param sharesOutboxes whether subscribers with the same live output share its work ({@link
 *     dev.presence.server.fanout.OutboxCohort}); off only to compare with the plain path
 */
public record RoomContext(ServerConfig config, Clock clock, Timer timer, Supplier<Executor> roomThreads,
    Metrics metrics, Replication replication, boolean logsSessions, boolean sharesOutboxes) {
  /** A context whose rooms share outboxes. */
  public RoomContext(ServerConfig config, Clock clock, Timer timer, Supplier<Executor> roomThreads,
      Metrics metrics, Replication replication, boolean logsSessions) {
    this(config, clock, timer, roomThreads, metrics, replication, logsSessions, true);
  }

  /** A context whose rooms log their sessions. */
  public RoomContext(ServerConfig config, Clock clock, Timer timer, Supplier<Executor> roomThreads,
      Metrics metrics, Replication replication) {
    this(config, clock, timer, roomThreads, metrics, replication, true);
  }

  /** A single node's context. */
  public RoomContext(ServerConfig config, Clock clock, Timer timer, Supplier<Executor> roomThreads,
      Metrics metrics) {
    this(config, clock, timer, roomThreads, metrics, null);
  }

  /** A single node's context that counts nothing. */
  public RoomContext(ServerConfig config, Clock clock, Timer timer, Supplier<Executor> roomThreads) {
    this(config, clock, timer, roomThreads, Metrics.NOOP, null);
  }
}
