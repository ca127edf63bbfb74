package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuiteRunnerTest {
  @Test
  void anUnknownExperimentIsRefusedBeforeAnythingRunsAndTheKnownOnesAreNamed() {
    assertThatThrownBy(() -> new SuiteRunner(Profile.named("smoke"), new Launches(Path.of("repo")), Pinning.detect(),
        System.out, Set.of("matrix", "capacty")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown experiment 'capacty': " + String.join(", ", SuiteRunner.EXPERIMENTS));
  }
}
