package dev.presence.server.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's threads: one I/O event loop per available core, which also run the rooms. A frame is then
 * handled on the thread that read it, and the room's writes and its next read request are issued there,
 * instead of waking a second pool's thread and then the event loop again for every frame; on a machine
 * where a thread wake-up costs tens of microseconds, those hand-offs dominated the cost of a delivery.
 */
public final class EventLoops implements AutoCloseable {
  private final EventLoopGroup group;

  private EventLoops(EventLoopGroup group) {
    this.group = group;
  }

  /** @return one event loop per core this process may run on (affinity respected) */
  public static EventLoops perCore() {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "presence-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return new EventLoops(new MultiThreadIoEventLoopGroup(
        Runtime.getRuntime().availableProcessors(), threads, NioIoHandler.newFactory()));
  }

  EventLoopGroup group() {
    return group;
  }

  /** @return the loops as a scheduler, for timers that should fire where the rooms run */
  public ScheduledExecutorService scheduler() {
    return group;
  }

  /**
   * @return the next loop, round robin: a room keeps the one it was given, so its tasks queued from that
   *     loop wake nothing and it never runs on two loops in turn
   */
  public Executor next() {
    return group.next();
  }

  /** Lets queued tasks finish, then stops the loops; call after the transport has ended. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
