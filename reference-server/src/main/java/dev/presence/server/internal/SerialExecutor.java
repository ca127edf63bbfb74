package dev.presence.server.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs submitted tasks one at a time, in submission order, on a shared pool. One per room gives every
 * room a single-threaded view of its state without a thread per room and without locks.
 *
 * <p>The queue has no fixed bound because its length is bounded by its producers: each session has at
 * most one inbound frame in flight (manual flow control), plus a constant number of timer and readiness
 * tasks.
 */
public final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  /** The pool's loop when it is one event loop, whose thread may run an idle executor's task at once; else null. */
  private final EventExecutor loop;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** @param pool the shared pool that runs the drains */
  public SerialExecutor(Executor pool) {
    this.pool = pool;
    this.loop = pool instanceof EventExecutor e ? e : null;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    scheduleDrain();
  }

  /**
   * Runs the task now, on the calling thread, when that thread is the pool's own event loop and this executor has
   * nothing queued or running; otherwise queues it as {@link #execute} does. Order and one-at-a-time hold either way:
   * a task submitted while this one runs is queued behind it. A frame read on the thread that runs its room then
   * costs no queue node and no second pass through the loop's task queue.
   *
   * @param task the task
   */
  public void executeNowIfIdle(Runnable task) {
    if (!onPoolThread() || !tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
      execute(task);
      return;
    }
    run(task);
    scheduled.set(false);
    if (!tasks.isEmpty()) {
      scheduleDrain();
    }
  }

  private boolean onPoolThread() {
    return loop != null && loop.inEventLoop();
  }

  private void scheduleDrain() {
    if (scheduled.compareAndSet(false, true)) {
      pool.execute(this::drain);
    }
  }

  private void drain() {
    // A bounded batch keeps one busy room from starving others on the shared pool.
    for (int i = 0; i < 256; i++) {
      Runnable task = tasks.poll();
      if (task == null) {
        break;
      }
      run(task);
    }
    scheduled.set(false);
    if (!tasks.isEmpty()) {
      scheduleDrain();
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      log.error("event=task_failed", e);
    }
  }
}
