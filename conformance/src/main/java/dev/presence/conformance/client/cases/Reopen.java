package dev.presence.conformance.client.cases;

import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.KitCall;
import io.grpc.Status;
import java.time.Duration;

/** Takes the SDK's connection away and lets it come back, with the room changed in between. */
final class Reopen {

  /** A change made to the room while the SDK has no session. */
  @FunctionalInterface
  interface Away {
    void change() throws InterruptedException;
  }

  private Reopen() {}

  /**
   * Resets the SDK's connection, changes the room while it cannot reconnect, and returns the session it opens then.
   * Opens are refused with a bare UNAVAILABLE until the change is done, so that the SDK learns of it from its new
   * session's opened and snapshots, never from live events.
   */
  static KitCall afterReset(ClientProbe p, Away change) throws InterruptedException {
    int before = p.server().calls().size();
    p.autopilot().refuseOpens(-1, Status.Code.UNAVAILABLE, null);
    p.server().reset();
    change.change();
    p.autopilot().acceptOpens();
    return awaitOpened(p, before);
  }

  /**
   * Returns the first session from number {@code from} (0 for the first) that the kit's server opens, skipping
   * refused ones. The SDK may take its backoff between attempts, so the wait allows for several.
   */
  static KitCall awaitOpened(ClientProbe p, int from) throws InterruptedException {
    Duration timeout = p.timing().requestTimeout().multipliedBy(2);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = from; ; i++) {
      long left = deadline - System.nanoTime();
      KitCall call = p.server().awaitCall(i, Duration.ofNanos(Math.max(0, left))).orElseThrow(() -> p.failure(
          "the SDK opened no new session within " + timeout.toMillis() + " ms after losing its connection"));
      while (!call.openedNanos().isPresent() && !call.ended()) {
        if (System.nanoTime() > deadline) {
          throw p.failure("session " + (call.index() + 1) + " was neither opened nor refused in time");
        }
        // The kit's server has no event for "opened"; the answer follows the open within a moment.
        Thread.sleep(1);
      }
      if (call.openedNanos().isPresent()) {
        return call;
      }
    }
  }
}
