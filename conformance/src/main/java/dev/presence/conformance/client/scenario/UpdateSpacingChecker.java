package dev.presence.conformance.client.scenario;

import dev.presence.conformance.check.Violation;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.protocol.v1.ConnectRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PRS-THC-1: two {@code update_state} frames of one session arrive at the kit at least W apart, less the run's
 * spacing tolerance, since the network can bunch frames sent a window apart. W is 50 ms until the session's opened
 * went out and the advertised window afterwards.
 */
final class UpdateSpacingChecker implements ClientChecker {

  /** The window SPEC.md fixes for the time before opened. */
  static final long WINDOW_BEFORE_OPENED_MILLIS = 50;

  @Override
  public String requirementId() {
    return "PRS-THC-1";
  }

  @Override
  public List<String> clauses() {
    return List.of("A client MUST NOT send two `update_state` frames less than W apart on one session.",
        "Until it receives `opened` it MUST use W = 50 ms, and afterwards the advertised value.");
  }

  @Override
  public List<Violation> check(ClientRun run) {
    List<Violation> violations = new ArrayList<>();
    long tolerance = run.timing().spacingToleranceMillis();
    for (ClientRun.Session s : run.sessions()) {
      Inbound before = null;
      for (Inbound in : s.inbound(ConnectRequest.FrameCase.UPDATE_STATE)) {
        if (before != null) {
          // A frame that reached the kit after opened went out was sent after the SDK could read it, or close to
          // that; the kit advertises 50 ms unless a run changes it, so both windows agree by default.
          long window = s.openedNanos().isPresent() && before.nanos() > s.openedNanos().get()
              ? run.limits().getThrottleWindowMillis() : WINDOW_BEFORE_OPENED_MILLIS;
          long minimum = TimeUnit.MILLISECONDS.toNanos(Math.max(0, window - tolerance));
          long gap = in.nanos() - before.nanos();
          if (gap < minimum) {
            TimingMiss miss = new TimingMiss(minimum - gap, before.nanos() - TimeUnit.MILLISECONDS.toNanos(window),
                in.nanos());
            violations.add(new Violation(requirementId(), run.stepAt(in.nanos()), String.format(
                "session %d sent two update_state frames %.1f ms apart; W is %d ms", s.index() + 1, gap / 1e6,
                window), miss));
          }
        }
        before = in;
      }
    }
    return violations;
  }
}
