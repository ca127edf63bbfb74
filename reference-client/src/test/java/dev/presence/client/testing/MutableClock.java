package dev.presence.client.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test says so. */
public final class MutableClock extends Clock {
  private final AtomicLong millis = new AtomicLong(1_000_000);

  /**
   * Moves the clock forward.
   *
   * @param delta milliseconds
   */
  public void advance(long delta) {
    millis.addAndGet(delta);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }
}
