package dev.presence.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WholeMillisecondWaitsTest {
  private static final long MILLI = 1_000_000;
  private static final int TIMERS = 40;
  /** A fraction under half a millisecond: Netty's rounding to the nearest millisecond wakes the loop this early. */
  private static final long FRACTION_NANOS = 400_000;

  @Test
  void delaysAreRoundedUpToWholeMilliseconds() {
    assertEquals(MILLI, WholeMillisecondWaits.roundedUp(1));
    assertEquals(MILLI, WholeMillisecondWaits.roundedUp(MILLI));
    assertEquals(5 * MILLI, WholeMillisecondWaits.roundedUp(4 * MILLI + FRACTION_NANOS));
    assertEquals(0, WholeMillisecondWaits.roundedUp(0));
    assertEquals(-7, WholeMillisecondWaits.roundedUp(-7), "a timer already due is not put off");
    assertEquals(Long.MAX_VALUE, WholeMillisecondWaits.roundedUp(Long.MAX_VALUE), "no timer at all stays so");
  }

  /**
   * Each timer is due a fraction of a millisecond past a whole one. Without rounding up, the loop wakes early and
   * turns over and over until the timer is due (tens to hundreds of turns per timer on an idle core); with it, a
   * timer costs one or two turns, however busy the machine is, because a late wake-up finds the timer due.
   */
  @Test
  void aLoopSleepsUntilItsTimerInsteadOfSpinning() throws Exception {
    AtomicInteger turns = new AtomicInteger();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
        WholeMillisecondWaits.factory(counting(NioIoHandler.newFactory(), turns)));
    try {
      EventLoop loop = group.next();
      CompletableFuture<Integer> turnsForTimers = new CompletableFuture<>();
      loop.execute(() -> chain(loop, TIMERS, turns, turnsForTimers));
      int used = turnsForTimers.get(30, TimeUnit.SECONDS);
      assertTrue(used <= 3 * TIMERS, used + " turns of the loop for " + TIMERS + " timers; at most " + 3 * TIMERS
          + " expected when it sleeps until each");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static void chain(EventLoop loop, int left, AtomicInteger turns, CompletableFuture<Integer> done) {
    int start = turns.get();
    Runnable[] next = new Runnable[1];
    int[] remaining = {left};
    next[0] = () -> {
      if (--remaining[0] == 0) {
        done.complete(turns.get() - start);
        return;
      }
      loop.schedule(next[0], (1 + remaining[0] % 4) * MILLI + FRACTION_NANOS, TimeUnit.NANOSECONDS);
    };
    loop.schedule(next[0], MILLI + FRACTION_NANOS, TimeUnit.NANOSECONDS);
  }

  private static IoHandlerFactory counting(IoHandlerFactory delegate, AtomicInteger turns) {
    return executor -> new ForwardingIoHandler(delegate.newHandler(executor)) {
      @Override
      public int run(IoHandlerContext context) {
        turns.incrementAndGet();
        return super.run(context);
      }
    };
  }
}
