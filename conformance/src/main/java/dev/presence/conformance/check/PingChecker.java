package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.conformance.scenario.Step;
import dev.presence.protocol.v1.Limits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Application-level pings in both directions, judged over the scenario trace: PRS-LIV-3 (a pong echoes the nonce of
 * the kit's ping), PRS-LIV-4 (server pings and PING_TIMEOUT only for sessions that declared {@code CAPABILITY_PING})
 * and PRS-LIV-6 (server pings paced by the advertised interval, and no PING_TIMEOUT while the kit answers). Sessions
 * of every second join declare the capability and answer each server ping as it arrives.
 */
public final class PingChecker extends QuotedChecker {

  private static final String PING_TIMEOUT = "PING_TIMEOUT";

  private final Rule rule;

  private interface Rule {
    void judge(RunAnalysis run, SessionPings session, List<Violation> violations);
  }

  private PingChecker(String requirementId, List<String> clauses, Rule rule) {
    super(requirementId, clauses);
    this.rule = rule;
  }

  /** Returns the PRS-LIV-3 checker, for the server's pongs to the kit's pings. */
  public static PingChecker echoesNonce() {
    return new PingChecker("PRS-LIV-3",
        List.of("A peer receiving `ping` MUST answer with `pong` carrying the same `nonce`."),
        PingChecker::judgeEcho);
  }

  /** Returns the PRS-LIV-4 checker. */
  public static PingChecker onlyWhenDeclared() {
    return new PingChecker("PRS-LIV-4", List.of(
        "A server MUST NOT send `ping` to a session that did not declare `CAPABILITY_PING`",
        "MUST NOT end a session for an unanswered ping unless the session declared that capability"),
        PingChecker::judgeDeclared);
  }

  /** Returns the PRS-LIV-6 checker. */
  public static PingChecker paced() {
    return new PingChecker("PRS-LIV-6", List.of(
        "A server that pings a session MUST send at most one `ping` per `Limits.ping_interval_millis`",
        "MUST NOT end the session with `PING_TIMEOUT` before `leave_detection_millis` − `ping_interval_millis` have "
            + "passed since it sent a `ping` that is still unanswered"),
        PingChecker::judgePacing);
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    for (SessionPings session : SessionPings.of(run)) {
      rule.judge(run, session, violations);
    }
    return violations;
  }

  private static void judgeEcho(RunAnalysis run, SessionPings s, List<Violation> violations) {
    Set<Long> awaiting = new HashSet<>();
    for (int i : s.positions) {
      Observation o = run.history().get(i);
      if (o instanceof Observation.Sent sent && sent.frame().hasPing()) {
        awaiting.add(sent.frame().getPing().getNonce());
      } else if (o instanceof Observation.Received r && r.frame().hasPong()
          && !awaiting.remove(r.frame().getPong().getNonce())) {
        violations.add(new Violation("PRS-LIV-3", run.stepAt(i), String.format(
            "%s received a pong with nonce %d, which no unanswered ping of the kit carried (awaiting %s)",
            s.session, r.frame().getPong().getNonce(), awaiting)));
      }
    }
  }

  private static void judgeDeclared(RunAnalysis run, SessionPings s, List<Violation> violations) {
    if (s.declared) {
      return;
    }
    for (int i : s.positions) {
      Observation o = run.history().get(i);
      if (o instanceof Observation.Received r && r.frame().hasPing()) {
        violations.add(new Violation("PRS-LIV-4", run.stepAt(i), s.session
            + " received a server ping, though its open did not declare CAPABILITY_PING"));
      } else if (o instanceof Observation.Ended e && e.errorInfoReason().equals(PING_TIMEOUT)) {
        violations.add(new Violation("PRS-LIV-4", run.stepAt(i), s.session
            + " was ended with PING_TIMEOUT, though its open did not declare CAPABILITY_PING"));
      }
    }
  }

  private static void judgePacing(RunAnalysis run, SessionPings s, List<Violation> violations) {
    long tolerance = TimeUnit.MILLISECONDS.toNanos(run.run().timing().spacingToleranceMillis());
    long interval = TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(s.limits.getPingIntervalMillis()));
    long patience = TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(s.limits.getLeaveDetectionMillis()))
        - interval;
    Map<Long, Long> unanswered = new LinkedHashMap<>();
    long previousPing = Long.MIN_VALUE;
    for (int i : s.positions) {
      Observation o = run.history().get(i);
      if (o instanceof Observation.Received r && r.frame().hasPing()) {
        if (previousPing != Long.MIN_VALUE && o.nanos() - previousPing < interval - tolerance) {
          long gap = o.nanos() - previousPing;
          // Pings bunch when the kit's own receiving stalls, so the span to weigh runs from an interval before the
          // first ping to the second.
          violations.add(new Violation("PRS-LIV-6", run.stepAt(i), String.format(
              "%s received two server pings %.1f ms apart; ping_interval_millis is %d", s.session, gap / 1e6,
              TimeUnit.NANOSECONDS.toMillis(interval)),
              new TimingMiss(interval - tolerance - gap, previousPing - interval, o.nanos())));
        }
        previousPing = o.nanos();
        unanswered.put(r.frame().getPing().getNonce(), o.nanos());
      } else if (o instanceof Observation.Sent sent && sent.frame().hasPong()) {
        unanswered.remove(sent.frame().getPong().getNonce());
      } else if (o instanceof Observation.Ended e && e.errorInfoReason().equals(PING_TIMEOUT) && s.declared
          && run.stepAt(i) < s.cutOffAtStep) {
        judgeTimeout(run, s, i, e, unanswered, patience, tolerance, violations);
      }
    }
  }

  /**
   * The kit answers each ping as it arrives, so a ping still unanswered at the end is one the kit received just
   * before it; the server sent it no later than that, which makes the receipt a bound on how long it waited.
   */
  private static void judgeTimeout(RunAnalysis run, SessionPings s, int position, Observation.Ended e,
      Map<Long, Long> unanswered, long patience, long tolerance, List<Violation> violations) {
    if (unanswered.isEmpty()) {
      violations.add(new Violation("PRS-LIV-6", run.stepAt(position), s.session
          + " was ended with PING_TIMEOUT, though the kit had answered every server ping as it arrived"));
      return;
    }
    long oldest = unanswered.values().iterator().next();
    long waited = e.nanos() - oldest;
    if (waited < patience - tolerance) {
      violations.add(new Violation("PRS-LIV-6", run.stepAt(position), String.format(
          "%s was ended with PING_TIMEOUT %.1f ms after an unanswered ping; leave_detection_millis - "
              + "ping_interval_millis is %d ms", s.session, waited / 1e6, TimeUnit.NANOSECONDS.toMillis(patience)),
          new TimingMiss(patience - tolerance - waited, oldest, e.nanos())));
    }
  }

  /** One session's ping traffic: where its frames and end sit in the history, what it declared and was told. */
  private static final class SessionPings {
    final String session;
    final boolean declared;
    final List<Integer> positions = new ArrayList<>();
    Limits limits = Limits.getDefaultInstance();
    /** From the step that cuts the session's network on, its pongs cannot reach the server. */
    int cutOffAtStep = Integer.MAX_VALUE;

    SessionPings(String session, boolean declared) {
      this.session = session;
      this.declared = declared;
    }

    static List<SessionPings> of(RunAnalysis run) {
      Map<String, SessionPings> sessions = new LinkedHashMap<>();
      List<Step> steps = run.steps();
      for (int k = 0; k < steps.size(); k++) {
        if (steps.get(k) instanceof Step.Join join) {
          sessions.put(join.session(), new SessionPings(join.session(), join.declaresPing()));
        } else if (steps.get(k) instanceof Step.End end && end.how().networkFault()) {
          sessions.get(end.session()).cutOffAtStep = k;
        }
      }
      List<Observation> history = run.history();
      for (int i = 0; i < history.size(); i++) {
        SessionPings s = sessions.get(sessionOf(history.get(i)));
        if (s == null) {
          continue;
        }
        if (history.get(i) instanceof Observation.Received r && r.frame().hasOpened()) {
          s.limits = r.frame().getOpened().getLimits();
        }
        s.positions.add(i);
      }
      return List.copyOf(sessions.values());
    }

    private static String sessionOf(Observation o) {
      if (o instanceof Observation.Sent s) {
        return s.session();
      } else if (o instanceof Observation.Received r) {
        return r.session();
      } else if (o instanceof Observation.Ended e) {
        return e.session();
      } else if (o instanceof Observation.KitEnded k) {
        return k.session();
      }
      return null;
    }
  }
}
