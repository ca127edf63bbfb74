package dev.presence.conformance.client.scenario;

import dev.presence.conformance.property.Shrinker;
import dev.presence.conformance.property.Shrinkers;
import java.util.List;
import java.util.stream.Stream;

/**
 * Shrinks a failing client scenario: fewer steps first (halves, then quarters, down to single steps; steps that can
 * no longer execute go with them), then simpler steps: shorter bursts, shorter pauses, a reset for a restart.
 * Every candidate is executable and smaller than the scenario it came from.
 */
public final class ClientScenarioShrinker implements Shrinker<ClientScenario> {

  private static final Shrinker<List<ClientStep>> STEPS = Shrinkers.list(ClientScenarioShrinker::simpler);

  @Override
  public Stream<ClientScenario> candidates(ClientScenario scenario) {
    return STEPS.candidates(scenario.steps())
        .map(ClientScenario::repaired)
        .filter(candidate -> !candidate.equals(scenario))
        .distinct();
  }

  private static Stream<ClientStep> simpler(ClientStep step) {
    if (step instanceof ClientStep.Restart) {
      return Stream.of(new ClientStep.Reset());
    }
    if (step instanceof ClientStep.Pause p && p.millis() > 1) {
      return Stream.<ClientStep>of(new ClientStep.Pause(1), new ClientStep.Pause(p.millis() / 2)).distinct();
    }
    if (!(step instanceof ClientStep.Update u) || u.gapsMillis().isEmpty()) {
      return Stream.empty();
    }
    List<Integer> gaps = u.gapsMillis();
    return Stream.of(List.<Integer>of(), gaps.subList(gaps.size() / 2, gaps.size()), gaps.subList(1, gaps.size()))
        .filter(shorter -> shorter.size() < gaps.size())
        .distinct()
        .map(shorter -> new ClientStep.Update(u.label(), shorter));
  }
}
