package dev.presence.conformance.scenario;

import dev.presence.conformance.property.Shrinker;
import dev.presence.conformance.property.Shrinkers;
import java.util.List;
import java.util.stream.Stream;

/**
 * Shrinks a failing scenario: fewer steps first (which also means fewer sessions, since steps of a session whose
 * join is gone are dropped), then shorter bursts and joins that declare no capability. Every candidate is
 * executable.
 */
public final class ScenarioShrinker implements Shrinker<Scenario> {

  private static final Shrinker<List<Step>> STEPS = Shrinkers.list(ScenarioShrinker::simpler);

  @Override
  public Stream<Scenario> candidates(Scenario scenario) {
    return STEPS.candidates(scenario.steps())
        .map(Scenario::repaired)
        .filter(candidate -> candidate.steps().size() < scenario.steps().size() || !candidate.equals(scenario))
        .distinct();
  }

  private static Stream<Step> simpler(Step step) {
    if (step instanceof Step.Join join && join.declaresPing()) {
      return Stream.of(new Step.Join(join.session(), join.user(), join.room()));
    }
    if (!(step instanceof Step.Update update) || update.gapsMillis().isEmpty()) {
      return Stream.empty();
    }
    List<Integer> gaps = update.gapsMillis();
    return Stream.of(
            new Step.Update(update.session(), List.of()),
            new Step.Update(update.session(), gaps.subList(gaps.size() / 2, gaps.size())),
            new Step.Update(update.session(), gaps.subList(1, gaps.size())))
        .filter(shorter -> shorter.gapsMillis().size() < gaps.size())
        .distinct()
        .map(Step.class::cast);
  }
}
