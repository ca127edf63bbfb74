package dev.presence.server.transport;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.Executor;

/**
 * An event loop that runs its queued tasks for its quantum or for as long as its last pass over the sockets took,
 * whichever is longer (see {@link EventLoops}). The I/O handler reports that time because
 * {@link WholeMillisecondWaits} asks it to.
 */
final class BalancedLoop extends SingleThreadIoEventLoop {
  private final Ticker ticker;
  /** Written and read on the loop's own thread only. */
  private long lastIoNanos;

  /**
   * @param group the loop's group, or null
   * @param executor what starts the loop's thread
   * @param ioHandlerFactory makes the loop's I/O handler
   * @param quantumMillis the least time queued tasks get before the loop turns back to its sockets
   * @param ticker the loop's clock, which also bounds its tasks' time
   */
  BalancedLoop(IoEventLoopGroup group, Executor executor, IoHandlerFactory ioHandlerFactory, long quantumMillis,
      Ticker ticker) {
    super(group, executor, ioHandlerFactory, Integer.MAX_VALUE, RejectedExecutionHandlers.reject(), quantumMillis);
    this.ticker = ticker;
  }

  /** Netty's constructor reads the clock before this class's fields are set; it notes an activity time there. */
  @Override
  public Ticker ticker() {
    Ticker set = ticker;
    return set != null ? set : Ticker.systemTicker();
  }

  @Override
  protected void reportActiveIoTime(long activeNanos) {
    lastIoNanos = activeNanos;
    super.reportActiveIoTime(activeNanos);
  }

  /** @param timeoutNanos the quantum, which the loop passes */
  @Override
  protected boolean runAllTasks(long timeoutNanos) {
    return super.runAllTasks(Math.max(timeoutNanos, lastIoNanos));
  }
}
