package dev.presence.server.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking often; never a fixed sleep. */
public final class Poll {
  private Poll() {}

  /**
   * @param what description for the failure
   * @param within the deadline
   * @param condition checked every 20 ms
   * @param state shown on failure
   */
  public static void until(String what, Duration within, BooleanSupplier condition, Supplier<Object> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not reached within " + within.toMillis() + " ms; state: " + state.get());
      }
      Thread.sleep(20);
    }
  }
}
