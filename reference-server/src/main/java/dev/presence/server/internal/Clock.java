package dev.presence.server.internal;

/**
 * Monotonic milliseconds. Injected so window logic can be tested without waiting; never wall-clock time,
 * which may jump.
 */
public interface Clock {
  /** @return milliseconds since an arbitrary fixed origin; never decreases */
  long nowMillis();
}
