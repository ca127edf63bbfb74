package dev.presence.client.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs application callbacks one at a time in the order they were posted, isolates their failures, and stops
 * them for good once closed, so that nothing reaches the application after {@code close()} returns.
 *
 * <p>Each callback runs holding a gate, so that closing can wait out a running callback. A callback may call
 * into the client, which takes the client lock; the client never waits for the gate while holding its lock, so
 * the order is always gate, then lock.
 */
final class CallbackDispatcher {
  private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);

  private final SerialExecutor executor;
  private final Object gate = new Object();
  // Written under the gate; read without it by isActive() checks that only need to be eventually right.
  private volatile boolean closed;

  CallbackDispatcher(Executor threads) {
    this.executor = new SerialExecutor(threads);
  }

  /** Queues a callback; it is dropped if the dispatcher is closed by the time its turn comes. */
  void post(Runnable callback) {
    try {
      executor.execute(() -> {
        synchronized (gate) {
          if (closed) {
            return;
          }
          runGuarded(callback);
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("callback executor stopped; dropping callback");
    }
  }

  /** Queues the last callbacks ever to run: nothing posted after them runs. */
  void postFinal(Runnable lastCallbacks) {
    post(() -> {
      lastCallbacks.run();
      closed = true;
    });
  }

  /**
   * Closes on the calling thread, after any running callback finished.
   *
   * @param lastCallbacks run first, unless already closed
   */
  void closeNow(Runnable lastCallbacks) {
    synchronized (gate) {
      if (!closed) {
        closed = true;
        lastCallbacks.run();
      }
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** Waits until no callback is running; returns at once when called from a callback (the gate is reentrant). */
  void barrier() {
    synchronized (gate) {
      // Entering the gate is the wait.
    }
  }

  static void runGuarded(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      // Application code may have put a presence payload in the message; log the type and trace only.
      Throwable trace = new Throwable("message withheld");
      trace.setStackTrace(e.getStackTrace());
      log.warn("a presence callback threw {}", e.getClass().getName(), trace);
    }
  }
}
