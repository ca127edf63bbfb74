package dev.presence.bench.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking often; never a fixed sleep. */
public final class Poll {
  /** How long any expected delivery may take; generous because CI machines stall. */
  public static final Duration DEADLINE = Duration.ofSeconds(10);

  private Poll() {}

  /**
   * @param what description for the failure
   * @param condition checked every 10 ms until {@link #DEADLINE}
   * @param state shown on failure
   */
  public static void until(String what, BooleanSupplier condition, Supplier<Object> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not reached within " + DEADLINE.toMillis() + " ms; state: " + state.get());
      }
      Thread.sleep(10);
    }
  }
}
