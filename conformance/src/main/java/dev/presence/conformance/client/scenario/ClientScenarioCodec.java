package dev.presence.conformance.client.scenario;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Client scenario to and from a JSON object, {@code {"steps": ["sync s1 *", "update a3 10,40", ...]}}: one step is
 * one line of text, as {@link ClientStep#toString()} prints it, so that replay files read like the reports.
 */
public final class ClientScenarioCodec {

  private ClientScenarioCodec() {}

  /** Encodes a scenario. */
  public static Struct encode(ClientScenario scenario) {
    ListValue.Builder steps = ListValue.newBuilder();
    scenario.steps().forEach(s -> steps.addValues(Value.newBuilder().setStringValue(s.toString())));
    return Struct.newBuilder().putFields("steps", Value.newBuilder().setListValue(steps).build()).build();
  }

  /**
   * Decodes what {@link #encode} produced.
   *
   * @throws IllegalArgumentException naming the step that cannot be decoded
   */
  public static ClientScenario decode(Struct json) {
    if (!json.containsFields("steps")) {
      throw new IllegalArgumentException("a client scenario needs 'steps'");
    }
    List<Value> values = json.getFieldsOrThrow("steps").getListValue().getValuesList();
    List<ClientStep> steps = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).getKindCase() != Value.KindCase.STRING_VALUE) {
        throw new IllegalArgumentException("step " + i + " must be a line of text");
      }
      try {
        steps.add(ClientStep.parse(values.get(i).getStringValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("step " + i + " cannot be decoded: " + e.getMessage(), e);
      }
    }
    return new ClientScenario(steps);
  }
}
