package dev.presence.conformance.client.scenario;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

/** The labels that stand for states in client scenarios. */
final class ScenarioStates {

  private ScenarioStates() {}

  /** Returns a state's label, or a short form of a state that has none. */
  static String label(Struct state) {
    if (state == null) {
      return "null";
    }
    Value label = state.getFieldsMap().get("label");
    return label != null ? label.getStringValue() : state.toString().replace('\n', ' ').strip();
  }
}
