package dev.presence.server.support;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The frames a test client received, whichever binding carried them: each is queued with its arrival time as it
 * arrives, and every wait has a deadline, so a failing expectation fails fast instead of hanging. Frames taken
 * from the queue stay in the history for failure messages. Filled by a transport thread, read by the test's.
 */
final class Inbox {
  private final LinkedBlockingQueue<TestSession.Received> queue = new LinkedBlockingQueue<>();
  private final List<TestSession.Received> history = new ArrayList<>();

  /** Called by the transport for every frame, as it arrives. */
  void add(ConnectResponse frame) {
    queue.add(new TestSession.Received(System.nanoTime(), frame));
  }

  /** @return whether no frame is waiting to be taken */
  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** @param within the longest wait @return the next frame of any kind */
  ConnectResponse next(Duration within) {
    TestSession.Received r = poll(within.toNanos());
    if (r == null) {
      throw new AssertionError("no frame within " + within.toMillis() + " ms");
    }
    return r.frame();
  }

  /** Skips frames until one matches, failing after {@code within}. */
  TestSession.Received awaitReceived(String what, Predicate<ConnectResponse> match, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + what + " within " + within.toMillis() + " ms; received " + history);
      }
      TestSession.Received r = poll(left);
      if (r != null && match.test(r.frame())) {
        return r;
      }
    }
  }

  /** @return the last event about the user in the next presence frame that has one */
  PresenceEvent awaitEvent(String userId, Predicate<PresenceEvent> match, Duration within) {
    ConnectResponse f = awaitReceived("event about " + userId, r -> r.hasPresence()
        && r.getPresence().getEventsList().stream().anyMatch(e -> e.getUserId().equals(userId) && match.test(e)),
        within).frame();
    return f.getPresence().getEventsList().stream()
        .filter(e -> e.getUserId().equals(userId) && match.test(e)).reduce((a, b) -> b).orElseThrow();
  }

  /**
   * Collects every frame arriving during a quiet period. Used to show something does NOT happen: the period is
   * several throttle windows, longer than any delivery the server may legitimately delay.
   */
  List<ConnectResponse> drainFor(Duration quiet) {
    List<ConnectResponse> frames = new ArrayList<>();
    long deadline = System.nanoTime() + quiet.toNanos();
    for (long left = quiet.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      TestSession.Received r = poll(left);
      if (r != null) {
        frames.add(r.frame());
      }
    }
    return frames;
  }

  /** @return every frame taken so far, in order */
  List<TestSession.Received> history() {
    return history;
  }

  private TestSession.Received poll(long nanos) {
    try {
      TestSession.Received r = queue.poll(nanos, TimeUnit.NANOSECONDS);
      if (r != null) {
        history.add(r);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
