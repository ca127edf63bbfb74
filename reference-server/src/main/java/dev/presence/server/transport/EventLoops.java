package dev.presence.server.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Each loop turns back to its sockets after {@link #TASK_QUANTUM_MILLIS} of queued tasks, or after as long as
 * the sockets took before them if that was longer. Netty's default lets tasks run for up to a second first: while a
 * thousand connections open and close, the rooms' and handshakes' tasks then kept a quiet room's frames unread for as
 * long (PRS-THR-3 allows 25 ms beyond W). A fixed quantum alone starves the other way: under overload reading and
 * handling the frames of a full set of sockets takes far longer than the quantum, and the rooms' ticks and gRPC's
 * flushes, which are tasks, got a small and shrinking share of the loop, so fewer and later frames went out. Tasks
 * get at least the time the I/O took, as Netty's older loops did with their default I/O ratio of one half.
 */
public final class EventLoops implements AutoCloseable {
  static final int TASK_QUANTUM_MILLIS = 2;

  private final EventLoopGroup group;
  private final EventExecutor[] loops;

  private EventLoops(EventLoopGroup group) {
    this.group = group;
    List<EventExecutor> all = new ArrayList<>();
    group.forEach(all::add);
    loops = all.toArray(EventExecutor[]::new);
  }

  /** @return one event loop per core this process may run on (affinity respected) */
  public static EventLoops perCore() {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "presence-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return new EventLoops(new FairLoops(Runtime.getRuntime().availableProcessors(), threads));
  }

  private static final class FairLoops extends MultiThreadIoEventLoopGroup {
    FairLoops(int loops, ThreadFactory threads) {
      super(loops, threads, WholeMillisecondWaits.factory(NioIoHandler.newFactory()));
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
      return new BalancedLoop(this, executor, ioHandlerFactory, TASK_QUANTUM_MILLIS, Ticker.systemTicker());
    }
  }

  /** @return how many loops there are: one per core */
  int count() {
    return loops.length;
  }

  EventLoopGroup group() {
    return group;
  }

  /**
   * @return the loop whose thread calls this, so a timer a room sets fires on the room's own thread without
   *     waking another; any loop when called from elsewhere
   */
  public ScheduledExecutorService current() {
    for (EventExecutor loop : loops) {
      if (loop.inEventLoop()) {
        return loop;
      }
    }
    return group.next();
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
