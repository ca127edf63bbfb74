package dev.presence.server.room;

import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Clock;
import dev.presence.server.internal.Metrics;
import dev.presence.server.internal.Timer;
import java.util.concurrent.Executor;

/**
 * What every room shares: settings, time, the pool their serial executors run on, and the counters.
 *
 * @param config validated settings
 * @param clock monotonic time
 * @param timer delayed tasks
 * @param pool shared worker pool
 * @param metrics what the rooms count
 */
public record RoomContext(ServerConfig config, Clock clock, Timer timer, Executor pool, Metrics metrics) {
  /** A context that counts nothing. */
  public RoomContext(ServerConfig config, Clock clock, Timer timer, Executor pool) {
    this(config, clock, timer, pool, Metrics.NOOP);
  }
}
