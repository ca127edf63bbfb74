package dev.presence.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.concurrent.Ticker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How long a loop gives its queued tasks after each pass over its sockets, on the loop's own clock: a mock that
 * only the loop's thread advances, by a fixed amount per pass and per task, so the verdicts do not depend on how
 * fast the machine runs the test.
 */
class BalancedLoopTest {
  private static final long QUANTUM_MILLIS = 2;
  private static final long TASK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
  private static final long LONG_PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long SHORT_PASS_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
  private static final int PASSES = 6;

  @Test
  void afterALongPassOverTheSocketsTasksRunAtLeastAsLong() throws Exception {
    for (long taskTime : taskTimeAfterEachPass(LONG_PASS_NANOS)) {
      assertThat(taskTime).isGreaterThanOrEqualTo(LONG_PASS_NANOS);
    }
  }

  @Test
  void afterAShortPassTasksRunForTheQuantumNotForTheLongPassesTime() throws Exception {
    for (long taskTime : taskTimeAfterEachPass(SHORT_PASS_NANOS)) {
      assertThat(taskTime).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(QUANTUM_MILLIS))
          .isLessThan(LONG_PASS_NANOS);
    }
  }

  /**
   * Runs a loop whose every pass over its sockets takes {@code passNanos} while tasks are always waiting.
   *
   * @return the loop-clock time its tasks ran for between one pass and the next, for each of several passes
   */
  private static List<Long> taskTimeAfterEachPass(long passNanos) throws Exception {
    MockTicker ticker = Ticker.newMockTicker();
    SocketsTakingTheirTime sockets = new SocketsTakingTheirTime(ticker, passNanos);
    BalancedLoop loop = new BalancedLoop(null, r -> new Thread(r, "balanced-loop-test").start(), sockets,
        QUANTUM_MILLIS, ticker);
    EndlessTasks tasks = new EndlessTasks(loop, ticker);
    try {
      loop.execute(tasks);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (sockets.taskTimes.size() < PASSES && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(sockets.taskTimes).as("passes within 10 s").hasSizeGreaterThanOrEqualTo(PASSES);
      return List.copyOf(sockets.taskTimes).subList(0, PASSES);
    } finally {
      tasks.stopped = true;
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  /** Tasks that are never done: each advances the loop's clock by a task's time and queues the next. */
  private static final class EndlessTasks implements Runnable {
    private final BalancedLoop loop;
    private final MockTicker ticker;
    volatile boolean stopped;

    EndlessTasks(BalancedLoop loop, MockTicker ticker) {
      this.loop = loop;
      this.ticker = ticker;
    }

    @Override
    public void run() {
      ticker.advance(TASK_NANOS, TimeUnit.NANOSECONDS);
      if (!stopped) {
        loop.execute(this);
      }
    }
  }

  /**
   * An I/O handler whose every pass takes a fixed time on the loop's clock and reports it, as the server's handler
   * does; it notes how much the clock moved between its passes besides its own time, which is the tasks' time.
   */
  private static final class SocketsTakingTheirTime implements IoHandlerFactory, IoHandler {
    final List<Long> taskTimes = new CopyOnWriteArrayList<>();
    private final MockTicker ticker;
    private final long passNanos;
    /** Confined to the loop's thread. */
    private long lastPassEndedAt = -1;

    SocketsTakingTheirTime(MockTicker ticker, long passNanos) {
      this.ticker = ticker;
      this.passNanos = passNanos;
    }

    @Override
    public IoHandler newHandler(ThreadAwareExecutor executor) {
      return this;
    }

    @Override
    public int run(IoHandlerContext context) {
      long now = ticker.nanoTime();
      if (lastPassEndedAt >= 0) {
        taskTimes.add(now - lastPassEndedAt);
      }
      ticker.advance(passNanos, TimeUnit.NANOSECONDS);
      context.reportActiveIoTime(passNanos);
      lastPassEndedAt = ticker.nanoTime();
      return 0;
    }

    @Override
    public IoRegistration register(IoHandle handle) {
      throw new UnsupportedOperationException("no sockets here");
    }

    @Override
    public void wakeup() {
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
      return false;
    }
  }
}
