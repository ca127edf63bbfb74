package dev.presence.server.room;

import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Clock;
import dev.presence.server.internal.Timer;
import java.util.concurrent.Executor;

/**
 * What every room shares: settings, time and the pool their serial executors run on.
 *
 * @param config validated settings
 * @param clock monotonic time
 * @param timer delayed tasks
 * @param pool shared worker pool
 */
public record RoomContext(ServerConfig config, Clock clock, Timer timer, Executor pool) {}
