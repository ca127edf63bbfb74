package dev.presence.conformance;

import dev.presence.conformance.check.Violation;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.noise.NoiseJudge;
import dev.presence.conformance.property.Minimizer;
import dev.presence.conformance.property.Shrinker;
import dev.presence.conformance.scenario.Replayable;
import dev.presence.conformance.spec.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What both modes do with a random scenario that broke a rule: re-run it to tell FAIL from FLAKY and a timing miss
 * from the kit's own noise, then shrink whatever did not pass to a minimal scenario, and write the verdict with its
 * evidence.
 *
 * @param <S> the scenario, which a replay file can hold
 * @param <R> the record of one run of it
 */
final class ScenarioFailureJudge<S extends Replayable, R> {

  /** Runs one scenario. */
  interface Runner<S, R> {
    R run(S scenario) throws InterruptedException;
  }

  /** Returns what the checkers of one rule find in a run. */
  interface Checks<R> {
    List<Violation> of(R run, String requirementId);
  }

  /** One run of a scenario and how it came out for one rule. */
  record Evidence<S, R>(S scenario, R run, List<Violation> violations, Attempt attempt) {}

  private final Runner<S, R> runner;
  private final Checks<R> checks;
  private final Function<R, List<Observation>> history;
  private final Function<R, String> trace;
  private final Shrinker<S> shrinker;
  private final NoiseJudge judge;
  private final int reruns;
  private final int maxShrinkAttempts;
  private final Set<String> knownFailing;

  ScenarioFailureJudge(Runner<S, R> runner, Checks<R> checks, Function<R, List<Observation>> history,
      Function<R, String> trace, Shrinker<S> shrinker, NoiseJudge judge, int reruns, int maxShrinkAttempts,
      Set<String> knownFailing) {
    this.runner = runner;
    this.checks = checks;
    this.history = history;
    this.trace = trace;
    this.shrinker = shrinker;
    this.judge = judge;
    this.reruns = reruns;
    this.maxShrinkAttempts = maxShrinkAttempts;
    this.knownFailing = knownFailing;
  }

  /** A FAIL or FLAKY verdict stands; an INCONCLUSIVE one keeps the rule under check in later scenarios. */
  static boolean outranksInconclusive(Verdict verdict) {
    return verdict == Verdict.FAIL || verdict == Verdict.FLAKY || verdict == Verdict.NOT_APPLICABLE;
  }

  /** Classifies what one rule's checkers found in a run that has already happened. */
  Evidence<S, R> evidence(S scenario, R run, List<Violation> violations) {
    return new Evidence<>(scenario, run, violations, Attempt.of(violations, history.apply(run), judge));
  }

  /**
   * Re-runs a failing scenario, judges the attempts, and shrinks whatever did not pass.
   *
   * @return the rule's verdict with its evidence; empty when quiet re-runs passed
   */
  Optional<RequirementResult> judge(Requirement r, long scenarioSeed, Evidence<S, R> first)
      throws InterruptedException {
    List<Attempt> attempts = new ArrayList<>(List.of(first.attempt()));
    for (int i = 0; i < reruns; i++) {
      ConformanceSuite.awaitQuietIfTimed(first.attempt(), judge);
      attempts.add(run(first.scenario(), r.id()).attempt());
    }
    Verdict verdict = Judgement.of(attempts);
    if (verdict == Verdict.PASS) {
      return Optional.empty();
    }
    Evidence<S, R> minimal = shrink(first, r.id(), verdict == Verdict.FAIL ? 1 : 2);
    List<String> found = minimal.violations().stream().map(Violation::toString).toList();
    int failed = (int) attempts.stream().filter(Attempt::failed).count();
    FailureCase evidence = new FailureCase(scenarioSeed, minimal.scenario(), found, failed, attempts.size(),
        trace.apply(minimal.run()));
    String detail = minimal.attempt().failed() ? minimal.attempt().detail() : first.attempt().detail();
    return Optional.of(new RequirementResult(r, verdict, detail, Optional.of(evidence),
        knownFailing.contains(r.id())));
  }

  /**
   * Shrinks a failing scenario. A failure that does not reproduce every time gets several tries per candidate, so
   * that a flaky or noise-bound failure shrinks too.
   */
  private Evidence<S, R> shrink(Evidence<S, R> first, String requirementId, int triesPerCandidate) {
    List<Evidence<S, R>> smallest = new ArrayList<>(List.of(first));
    Minimizer.minimize(first.scenario(), first.violations().get(0).toString(), shrinker, candidate -> {
      try {
        for (int t = 0; t < triesPerCandidate; t++) {
          Evidence<S, R> e = run(candidate, requirementId);
          if (!e.violations().isEmpty()) {
            smallest.set(0, e);
            return Optional.of(e.violations().get(0).toString());
          }
        }
        return Optional.empty();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }, maxShrinkAttempts);
    return smallest.get(0);
  }

  private Evidence<S, R> run(S scenario, String requirementId) throws InterruptedException {
    R run = runner.run(scenario);
    return evidence(scenario, run, checks.of(run, requirementId));
  }
}
