package dev.presence.server.transport;

import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Wraps an I/O handler that waits in whole milliseconds, so that it sleeps until its next timer instead of spinning up
 * to it.
 *
 * <p>NIO's selector waits in whole milliseconds, and Netty rounds the time to the next timer to the nearest one. A
 * loop whose timer is due in 4.4 ms therefore wakes 0.4 ms early, finds the timer not yet due, and calls
 * {@code selectNow} in a tight loop until it is: on this server, whose rooms and connections set hundreds of timers
 * a second, that spinning was about a tenth of a core at 4,000 updates a second: a sixth to nearly a third of its
 * CPU per delivery. Here the time to the next timer is rounded up to a whole millisecond instead, so the wait ends at
 * or just after the deadline: a timer fires up to a millisecond late, and the loop sleeps until then.
 */
final class WholeMillisecondWaits extends ForwardingIoHandler {
  private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

  /** The loop's context, which it passes on every run, and its wrapper; confined to the loop's thread. */
  private IoHandlerContext wrappedContext;
  private IoHandlerContext rounded;

  private WholeMillisecondWaits(IoHandler delegate) {
    super(delegate);
  }

  /** @param delegate makes the handlers to wrap @return a factory of wrapped handlers */
  static IoHandlerFactory factory(IoHandlerFactory delegate) {
    return new IoHandlerFactory() {
      @Override
      public IoHandler newHandler(ThreadAwareExecutor executor) {
        return new WholeMillisecondWaits(delegate.newHandler(executor));
      }

      @Override
      public boolean isChangingThreadSupported() {
        return delegate.isChangingThreadSupported();
      }
    };
  }

  /** @param delayNanos the time to the next timer @return that time, rounded up to a whole millisecond */
  static long roundedUp(long delayNanos) {
    if (delayNanos <= 0 || delayNanos > Long.MAX_VALUE - MILLI) {
      return delayNanos;
    }
    return Math.floorDiv(delayNanos + MILLI - 1, MILLI) * MILLI;
  }

  @Override
  public int run(IoHandlerContext context) {
    if (context != wrappedContext) {
      wrappedContext = context;
      rounded = new RoundedUp(context);
    }
    return super.run(rounded);
  }

  private record RoundedUp(IoHandlerContext context) implements IoHandlerContext {
    @Override
    public boolean canBlock() {
      return context.canBlock();
    }

    @Override
    public long delayNanos(long currentTimeNanos) {
      return roundedUp(context.delayNanos(currentTimeNanos));
    }

    @Override
    public long deadlineNanos() {
      return context.deadlineNanos();
    }

    @Override
    public void reportActiveIoTime(long activeNanos) {
      context.reportActiveIoTime(activeNanos);
    }

    /** Always: the loop gives its tasks at least as long as the I/O took (EventLoops). */
    @Override
    public boolean shouldReportActiveIoTime() {
      return true;
    }
  }
}
