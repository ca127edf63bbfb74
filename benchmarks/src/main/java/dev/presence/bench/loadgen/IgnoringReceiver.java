package dev.presence.bench.loadgen;

import dev.presence.bench.driver.Receiver;

/** For sessions that are load, not measurement: a storm's, a hot room's. */
final class IgnoringReceiver implements Receiver {
  @Override
  public void onFrame(int bytes) {}

  @Override
  public void onState(int fromUser, long seq, long sentAtNanos) {}
}
