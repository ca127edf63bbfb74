package dev.presence.conformance.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.conformance.FailureCase;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.scenario.Scenario;
import dev.presence.conformance.scenario.Step;
import dev.presence.conformance.scenario.TargetSpec;
import dev.presence.conformance.spec.SpecDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.presence.conformance.client.scenario.ClientScenario;
import dev.presence.conformance.client.scenario.ClientStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayFileTest {

  private static final Scenario SCENARIO = new Scenario(List.of(
      new Step.Join("s1", "u1", "r1"),
      new Step.Subscribe("s1", "a", TargetSpec.user("u2")),
      new Step.Follow("s1", "u2"),
      new Step.Update("s1", List.of(3, 70)),
      new Step.Unfollow("s1", "u2"),
      new Step.Clear("s1"),
      new Step.Unsubscribe("s1", "a"),
      new Step.End("s1", EndKind.NETWORK_RESET)));

  @Test
  void writtenReplayReadsBackAsTheSameScenarioWithSeedAndTrace(@TempDir Path dir) throws IOException {
    RequirementResult failed = new RequirementResult(
        SpecDocument.bundled().requirement("PRS-THR-3").orElseThrow(), Verdict.FAIL, "stale",
        Optional.of(new FailureCase(-42L, SCENARIO, List.of("PRS-THR-3 at step 3: stale"), 3, 3, "0.0 ms  step 0")),
        false);

    Path file = ReplayFile.write(dir, failed);
    ReplayFile.Replay replay = ReplayFile.read(file);

    assertThat(file.getFileName().toString()).isEqualTo("replay-PRS-THR-3.json");
    assertThat(replay.requirementId()).isEqualTo("PRS-THR-3");
    assertThat(replay.seed()).isEqualTo(-42L);
    assertThat(replay.scenario()).isEqualTo(SCENARIO);
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("\"trace\"").contains("step 0");
  }

  @Test
  void aClientScenarioReplaysInClientModeOnly(@TempDir Path dir) throws IOException {
    ClientScenario client = new ClientScenario(List.of(new ClientStep.Sync("s1", ClientStep.ALL),
        new ClientStep.Update("a1", List.of(4)), new ClientStep.Reset()));
    RequirementResult failed = new RequirementResult(
        SpecDocument.bundled().requirement("PRS-RCN-2").orElseThrow(), Verdict.FAIL, "ghost",
        Optional.of(new FailureCase(7L, client, List.of("PRS-RCN-2 at step 2: ghost"), 1, 3, "")), false);

    ReplayFile.Replay replay = ReplayFile.read(ReplayFile.write(dir, failed));

    assertThat(replay.client()).isTrue();
    assertThat(replay.clientScenario()).isEqualTo(client);
    assertThatThrownBy(replay::scenario).hasMessageContaining("--client");
  }

  @Test
  void aFileThatIsNotAReplayIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("report.json");
    Files.writeString(file, "{\"formatVersion\": 1}");

    assertThatThrownBy(() -> ReplayFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a replay file");
  }
}
