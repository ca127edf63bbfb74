package dev.presence.conformance.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The replay form of scenarios keeps the capability a join declares, and reads files written before it existed. */
class ScenarioCodecTest {

  @Test
  void aJoinDeclaringPingSurvivesTheRoundTrip() {
    Scenario scenario = new Scenario(List.of(new Step.Join("s1", "u1", "r1", true),
        new Step.Join("s2", "u2", "r1"), new Step.Update("s1", List.of(10))));

    Struct json = ScenarioCodec.encode(scenario);

    assertThat(ScenarioCodec.decode(json)).isEqualTo(scenario);
    assertThat(json.getFieldsOrThrow("steps").getListValue().getValues(1).getStructValue().containsFields(
        "declaresPing")).as("a join without the capability is written as before").isFalse();
  }

  @Test
  void aJoinWrittenBeforeCapabilitiesExistedDeclaresNone() throws Exception {
    Struct.Builder json = Struct.newBuilder();
    JsonFormat.parser().merge("{\"steps\": [{\"op\": \"join\", \"session\": \"s1\", \"user\": \"u1\", "
        + "\"room\": \"r1\"}]}", json);

    assertThat(ScenarioCodec.decode(json.build()).steps())
        .containsExactly(new Step.Join("s1", "u1", "r1", false));
  }

  @Test
  void aDeclarationThatIsNoBooleanNamesItsStep() throws Exception {
    Struct.Builder json = Struct.newBuilder();
    JsonFormat.parser().merge("{\"steps\": [{\"op\": \"join\", \"session\": \"s1\", \"user\": \"u1\", "
        + "\"room\": \"r1\", \"declaresPing\": \"yes\"}]}", json);

    assertThatThrownBy(() -> ScenarioCodec.decode(json.build()))
        .hasMessageContaining("step 0").hasMessageContaining("declaresPing");
  }

  @Test
  void everySecondGeneratedSessionDeclaresPing() {
    Scenario scenario = ScenarioGenerator.builder().build().generate(new SplittableRandom(5));

    List<Step.Join> joins = scenario.steps().stream().filter(Step.Join.class::isInstance)
        .map(Step.Join.class::cast).toList();
    assertThat(joins).hasSizeGreaterThanOrEqualTo(2).allSatisfy(j ->
        assertThat(j.declaresPing()).isEqualTo(Integer.parseInt(j.session().substring(1)) % 2 == 0));
  }

  @Test
  void shrinkingOffersTheSameJoinWithoutTheCapability() {
    Scenario scenario = new Scenario(List.of(new Step.Join("s1", "u1", "r1", true),
        new Step.Join("s2", "u2", "r1")));

    assertThat(new ScenarioShrinker().candidates(scenario))
        .contains(new Scenario(List.of(new Step.Join("s1", "u1", "r1"), new Step.Join("s2", "u2", "r1"))));
  }
}
