package dev.presence.conformance.client.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.conformance.property.Minimizer;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClientScenarioTest {

  private static final ClientScenario EVERY_STEP = new ClientScenario(List.of(
      new ClientStep.Sync("s1", ClientStep.ALL),
      new ClientStep.Sync("s2", ClientStep.FOLLOWING),
      new ClientStep.Sync("s3", "u2"),
      new ClientStep.Update("a1", List.of(10, 70)),
      new ClientStep.Update("a2", List.of()),
      new ClientStep.Clear(),
      new ClientStep.Follow("u1"),
      new ClientStep.Unfollow("u1"),
      new ClientStep.GetStates(),
      new ClientStep.OtherSet("u1", "o3"),
      new ClientStep.OtherClear("u1"),
      new ClientStep.OtherLeave("u1", true),
      new ClientStep.OtherLeave("u2", false),
      new ClientStep.OtherJoin("u3"),
      new ClientStep.Ping(),
      new ClientStep.UnknownFrame(),
      new ClientStep.HoldSnapshots(),
      new ClientStep.ReleaseSnapshots(),
      new ClientStep.Reset(),
      new ClientStep.Restart(),
      new ClientStep.Pause(20),
      new ClientStep.Unsync("s3"),
      new ClientStep.Unsync("")));

  @Test
  void theSameSeedGivesTheSameScenario() {
    ClientScenarioGenerator generator = new ClientScenarioGenerator();
    for (long seed : new long[] {1, 42, -7, 123456789}) {
      assertThat(generator.generate(new SplittableRandom(seed)))
          .isEqualTo(generator.generate(new SplittableRandom(seed)));
    }
    List<ClientScenario> many = IntStream.range(0, 20)
        .mapToObj(i -> generator.generate(new SplittableRandom(i))).toList();
    assertThat(many).doesNotHaveDuplicates();
  }

  @Test
  void generatedScenariosAreExecutableAndRoundTripThroughTheCodec() {
    ClientScenarioGenerator generator = new ClientScenarioGenerator();
    for (long seed = 0; seed < 200; seed++) {
      ClientScenario s = generator.generate(new SplittableRandom(seed));
      assertThat(ClientScenario.repaired(s.steps())).isEqualTo(s);
      assertThat(ClientScenarioCodec.decode(ClientScenarioCodec.encode(s))).isEqualTo(s);
    }
  }

  @Test
  void everyStepKindRoundTripsThroughTheCodec() {
    assertThat(ClientScenarioCodec.decode(EVERY_STEP.encode())).isEqualTo(EVERY_STEP);
    assertThat(EVERY_STEP.mode()).isEqualTo("client");
    assertThat(EVERY_STEP.describe()).contains("  3. update a1 10,70").contains(" 22. unsync-all");
  }

  @Test
  void aMalformedStepIsNamed() {
    assertThatThrownBy(() -> ClientStep.parse("other-leave u1 sideways"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sideways");
    assertThatThrownBy(() -> ClientStep.parse("jump"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown step 'jump'");
  }

  @Test
  void stepsThatCannotExecuteAreRefusedOrRepaired() {
    List<ClientStep> orphan = List.of(new ClientStep.Unsync("s1"), new ClientStep.Unfollow("u1"),
        new ClientStep.Sync(ClientScenario.SETTLE_SYNC, ClientStep.ALL), new ClientStep.Clear());
    assertThatThrownBy(() -> new ClientScenario(orphan)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ClientScenario.repaired(orphan).steps()).containsExactly(new ClientStep.Clear());
  }

  @Test
  void shrinkingKeepsOnlyWhatTheFailureNeeds() {
    // Stands for a client that fails whenever a sync of u2 outlives a restart.
    ClientScenarioShrinker shrinker = new ClientScenarioShrinker();
    Minimizer.Result<ClientScenario> result = Minimizer.minimize(EVERY_STEP, "fails", shrinker,
        s -> s.steps().contains(new ClientStep.Sync("s3", "u2"))
            && s.steps().stream().anyMatch(st -> st instanceof ClientStep.Reset || st instanceof ClientStep.Restart)
            ? Optional.of("fails") : Optional.empty(), 500);
    assertThat(result.minimal().steps()).containsExactly(new ClientStep.Sync("s3", "u2"), new ClientStep.Reset());
    assertThat(shrinker.candidates(result.minimal()))
        .allMatch(c -> c.steps().size() < 2 || !c.equals(result.minimal()));
  }

  @Test
  void burstsShrinkToSingleUpdates() {
    ClientScenario burst = new ClientScenario(List.of(new ClientStep.Update("a1", List.of(5, 10, 20))));
    assertThat(new ClientScenarioShrinker().candidates(burst))
        .contains(new ClientScenario(List.of(new ClientStep.Update("a1", List.of()))))
        .allMatch(c -> c.steps().isEmpty() || ((ClientStep.Update) c.steps().get(0)).gapsMillis().size() < 3);
  }
}
