package dev.presence.conformance.client.cases;

import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.KitCall;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDK's waits between attempts while the kit refuses its opens with a bare UNAVAILABLE (PRS-RCN-1, PRS-RCN-4):
 * wait n runs from the kit's end of one call to the arrival of the next call's open, which is never less than the
 * SDK's own wait.
 *
 * @param gapsNanos the measured waits, n = 1 first
 */
record BackoffRun(List<Long> gapsNanos) {

  /** How many of the SDK's retries are refused; one more is accepted, so the run measures REFUSALS + 1 waits. */
  static final int REFUSALS = 3;

  /**
   * A wait under this counts as near zero. Under full jitter wait n is uniform on [0, B(n)] with B(n) = 250 ms × 2ⁿ,
   * so a conformant SDK makes all four measured waits, n = 1 to 4, near zero with probability at most
   * (20/500)·(20/1000)·(20/2000)·(20/4000) = 4e-8 (a measured wait is never shorter than the SDK's own); an SDK
   * that does not back off at all makes them all near zero on a loopback connection, where a refused open comes
   * back in a few milliseconds.
   */
  static final long NEAR_ZERO_MILLIS = 20;

  /**
   * Connects, ends the session with UNAVAILABLE once untimed (a rehearsal, wait n = 0), then again, refuses
   * {@link #REFUSALS} opens in a row, and fails the case unless every wait, n = 1 on, stays within PRS-RCN-4's bound
   * plus the slack.
   */
  static BackoffRun measure(ClientProbe p) throws InterruptedException {
    KitCall call = RetryWatch.rehearse(p, connected(p), c -> c.end(Status.Code.UNAVAILABLE, null, "rehearsal"));
    p.autopilot().refuseOpens(REFUSALS, Status.Code.UNAVAILABLE, null);
    call.end(Status.Code.UNAVAILABLE, null, "ended by the conformance kit");
    long ended = call.endedNanos().orElseThrow();
    List<Long> gaps = new ArrayList<>();
    for (int i = 0; i <= REFUSALS; i++) {
      int n = i + 1;
      KitCall next = RetryWatch.within(p, call.index() + 1 + i, ended, RetryWatch.boundMillis(n),
          "UNAVAILABLE number " + (i + 1) + " in a row (wait n = " + n + ")");
      gaps.add(CallFacts.openArrival(p, next) - ended);
      if (i < REFUSALS) {
        next.awaitEnd(p.timing().requestTimeout());
        ended = next.endedNanos().orElseThrow(() -> p.failure("the kit did not refuse session "
            + (next.index() + 1)));
      }
    }
    return new BackoffRun(List.copyOf(gaps));
  }

  private static KitCall connected(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    CallFacts.inUse(p);
    return call;
  }

  /** Fails the case when every wait was near zero: no backoff at all. */
  void expectNotAllNearZero(ClientProbe p) {
    if (gapsNanos.stream().allMatch(g -> g < NEAR_ZERO_MILLIS * 1_000_000L)) {
      throw p.failure("the SDK waited " + gapsNanos.stream().map(g -> g / 1_000_000).toList() + " ms between "
          + "attempts: all under " + NEAR_ZERO_MILLIS + " ms, no backoff");
    }
  }
}
