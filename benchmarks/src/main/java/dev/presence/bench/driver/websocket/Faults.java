package dev.presence.bench.driver.websocket;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a driver's faults from its I/O threads and logs the first of each kind, so a broken codec or server
 * is visible without flooding the log. Messages name what was wrong, never a payload.
 */
final class Faults {
  private static final System.Logger log = System.getLogger(Faults.class.getName());

  private final String system;
  private final Counter malformed = new Counter();
  private final Counter droppedSends = new Counter();
  private final Counter closedByServer = new Counter();
  private final Counter transport = new Counter();
  private final Counter receiver = new Counter();

  Faults(String system) {
    this.system = system;
  }

  void malformed(IllegalArgumentException e) {
    if (malformed.countIsFirst()) {
      log.log(Level.WARNING, "{0}: ignoring a malformed message from the server, further ones only counted: {1}",
          system, e.getMessage());
    }
  }

  void droppedSend(int queuedSends) {
    if (droppedSends.countIsFirst()) {
      log.log(Level.WARNING, "{0}: dropping a state, {1} sends already wait for the socket; further drops only "
          + "counted", system, queuedSends);
    }
  }

  /** @param how how the server ended it, such as a WebSocket close status */
  void closedByServer(String how) {
    if (closedByServer.countIsFirst()) {
      log.log(Level.WARNING, "{0}: the server ended a session ({1}); further ends only counted", system, how);
    }
  }

  void transport(Throwable e) {
    if (transport.countIsFirst()) {
      log.log(Level.WARNING, system + ": a connection failed; further failures only counted", e);
    }
  }

  void receiver(RuntimeException e) {
    if (receiver.countIsFirst()) {
      log.log(Level.ERROR, system + ": a receiver threw; further exceptions only counted", e);
    }
  }

  DriverFaults snapshot() {
    return new DriverFaults(malformed.sum(), droppedSends.sum(), closedByServer.sum(), transport.sum(),
        receiver.sum());
  }

  private static final class Counter {
    private final LongAdder count = new LongAdder();
    private final AtomicBoolean seen = new AtomicBoolean();

    boolean countIsFirst() {
      count.increment();
      return !seen.get() && seen.compareAndSet(false, true);
    }

    long sum() {
      return count.sum();
    }
  }
}
