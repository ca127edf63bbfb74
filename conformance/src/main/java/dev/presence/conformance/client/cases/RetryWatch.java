package dev.presence.conformance.client.cases;

import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.directed.CaseFailure;
import dev.presence.conformance.noise.TimingMiss;
import java.time.Duration;

/** Watches whether and when the SDK opens its next session after the kit ended one. */
final class RetryWatch {

  /**
   * How long a "never" row waits for a wrongful retry. An SDK that wrongly treats the end as retryable retries at
   * once or after PRS-RCN-4's first wait, at most 250 ms; two seconds is eight times that, short enough for a
   * case per row.
   */
  static final Duration NEVER_WINDOW = Duration.ofSeconds(2);
  /** PRS-RCN-4's bound on the first wait and its largest bound. */
  static final long FIRST_BOUND_MILLIS = 250;
  static final long MAX_BOUND_MILLIS = 30_000;

  private RetryWatch() {}

  /** Returns PRS-RCN-4's bound on the wait before attempt n + 1: min(30 s, 250 ms × 2ⁿ). */
  static long boundMillis(int n) {
    return n >= 7 ? MAX_BOUND_MILLIS : Math.min(MAX_BOUND_MILLIS, FIRST_BOUND_MILLIS << n);
  }

  /** How the kit ends a session. */
  @FunctionalInterface
  interface Ender {
    void end(KitCall call);
  }

  /**
   * Ends a session in use (see {@link CallFacts#inUse}) once as a timed end will, without timing the SDK, and
   * returns its next session once that is in use too. A cold runtime reacts to its first ended call far slower than
   * to later ones, hundreds of milliseconds on a busy machine, which would swamp a bound of "at once" or 250 ms;
   * after this rehearsal the timed end meets a warm SDK. The rehearsal uses up wait n = 0: the next wait is n = 1.
   */
  static KitCall rehearse(ClientProbe p, KitCall call, Ender ender) throws InterruptedException {
    int before = p.server().calls().size();
    ender.end(call);
    KitCall next = Reopen.awaitOpened(p, before);
    String label = "peer-after-" + next.index();
    int mark = p.mark();
    p.room().set("peer", p.state(label));
    p.awaitChange(mark, "in-use", c -> c.getUserId().equals("peer") && c.hasState()
        && ClientProbe.label(c.getState()).equals(label), "a live state on the session after the rehearsal");
    return next;
  }

  /**
   * Fails the case if the SDK opens session number {@code index} within {@link #NEVER_WINDOW} plus the slack.
   *
   * @param after what ended the previous session, for the failure message
   */
  static void never(ClientProbe p, int index, String after) {
    CallFacts.noCallWithin(p, index, NEVER_WINDOW.plus(CallFacts.slack(p)), after);
  }

  /**
   * Waits for session number {@code index} and fails the case unless its open arrived within {@code boundMillis}
   * plus the slack after {@code endedNanos}; a late one is a timing miss, none at all within the request timeout
   * past the bound a plain failure.
   *
   * @param after what ended the previous session, for the failure message
   * @return the new session
   */
  static KitCall within(ClientProbe p, int index, long endedNanos, long boundMillis, String after) {
    long allowed = (boundMillis + p.timing().slackMillis()) * 1_000_000L;
    Duration wait = Duration.ofNanos(Math.max(0, endedNanos + allowed - System.nanoTime()))
        .plus(p.timing().requestTimeout());
    KitCall next = p.server().awaitCall(index, wait).orElseThrow(() -> p.failure("the SDK opened no new session "
        + "after " + after + " within " + (allowed / 1_000_000 + p.timing().requestTimeout().toMillis()) + " ms"));
    long arrived = CallFacts.openArrival(p, next);
    if (arrived - endedNanos > allowed) {
      throw new CaseFailure("the SDK opened its next session " + (arrived - endedNanos) / 1_000_000 + " ms after "
          + after + "; the bound is " + boundMillis + " ms plus " + p.timing().slackMillis() + " ms slack",
          new TimingMiss(arrived - endedNanos - allowed, endedNanos, arrived));
    }
    return next;
  }
}
