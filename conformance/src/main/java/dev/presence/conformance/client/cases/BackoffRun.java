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

  /** Waits n = 1 to this many are always measured, each against PRS-RCN-4's bound. */
  static final int MIN_WAITS = 4;
  /** While every wait so far is short, the run goes on to this many. */
  static final int MAX_WAITS = 6;
  /**
   * A wait under this is short; the run fails when all {@link #MAX_WAITS} waits are.
   *
   * <p>Under full jitter wait n is uniform on [0, c(n)], c(n) = 250 ms × 2ⁿ, independently of the others, so
   * P(wait n &lt; 250 ms) = 2⁻ⁿ and a conformant SDK makes waits n = 1 to 6 all short with probability
   * 2⁻¹·2⁻²·2⁻³·2⁻⁴·2⁻⁵·2⁻⁶ = 2⁻²¹ ≈ 4.8e-7. A measured wait is never shorter than the SDK's own, so whatever the
   * SDK spends on reacting and connecting only lowers that. Waits n = 5 and 6 are measured only while all earlier
   * ones are short, which changes nothing in that event: a conformant SDK pays for them with probability 2⁻¹⁰ and
   * 2⁻¹⁵. The test is on each wait rather than on their sum or their spread because an SDK that does not back
   * off still spends its connection set-up on every attempt, tens of milliseconds for a fresh client and more on a
   * busy machine: P(sum of the six &lt; T) ≤ T⁶ / (6! · Π c(n)) = T⁶ / 3.7e23 ms⁶ keeps under 1e-6 only up to about
   * T = 850 ms, some 140 ms an attempt, while here every attempt may take up to 250 ms; and subtracting the shortest
   * wait as set-up time is exact only if set-up takes the same time on every attempt, which nothing bounds.
   */
  static final long SHORT_MILLIS = RetryWatch.FIRST_BOUND_MILLIS;

  /**
   * Connects, ends the session with UNAVAILABLE once untimed (a rehearsal, wait n = 0), then again, and refuses
   * every open after that while it measures waits n = 1 to {@link #MIN_WAITS}, and on to {@link #MAX_WAITS} while
   * all are short. Fails the case unless every measured wait stays within PRS-RCN-4's bound plus the slack.
   */
  static BackoffRun measure(ClientProbe p) throws InterruptedException {
    KitCall call = RetryWatch.rehearse(p, connected(p), c -> c.end(Status.Code.UNAVAILABLE, null, "rehearsal"));
    p.autopilot().refuseOpens(-1, Status.Code.UNAVAILABLE, null);
    call.end(Status.Code.UNAVAILABLE, null, "ended by the conformance kit");
    long ended = call.endedNanos().orElseThrow();
    List<Long> gaps = new ArrayList<>();
    for (int n = 1; n <= MIN_WAITS || (n <= MAX_WAITS && allShort(gaps)); n++) {
      if (n > 1) {
        KitCall refused = call;
        refused.awaitEnd(p.timing().requestTimeout());
        ended = refused.endedNanos().orElseThrow(() -> p.failure("the kit did not refuse session "
            + (refused.index() + 1)));
      }
      call = RetryWatch.within(p, call.index() + 1, ended, RetryWatch.boundMillis(n),
          "UNAVAILABLE number " + n + " in a row (wait n = " + n + ")");
      gaps.add(CallFacts.openArrival(p, call) - ended);
    }
    return new BackoffRun(List.copyOf(gaps));
  }

  private static boolean allShort(List<Long> gaps) {
    return gaps.stream().allMatch(g -> g < SHORT_MILLIS * 1_000_000L);
  }

  private static KitCall connected(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    CallFacts.inUse(p);
    return call;
  }

  /** Fails the case when all {@link #MAX_WAITS} waits were short: no backoff at all. */
  void expectNotAllShort(ClientProbe p) {
    if (gapsNanos.size() == MAX_WAITS && allShort(gapsNanos)) {
      throw p.failure("the SDK waited " + gapsNanos.stream().map(g -> g / 1_000_000).toList() + " ms between "
          + "attempts n = 1 to " + MAX_WAITS + ": all under " + SHORT_MILLIS + " ms, which full jitter gives with "
          + "probability 2⁻²¹; no backoff");
    }
  }
}
