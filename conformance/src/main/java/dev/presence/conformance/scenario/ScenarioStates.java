package dev.presence.conformance.scenario;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

/**
 * The states scenarios send. Each is distinct and names where it came from, so a checker can tell a stale,
 * reordered or invented state from the right one, and a report can show which step sent it.
 */
public final class ScenarioStates {

  private ScenarioStates() {}

  /**
   * Returns the state of update {@code n} of the burst at {@code stepIndex}.
   *
   * @param session the sending session's scenario name
   * @param stepIndex the index of the update step in its scenario
   * @param n the update's position in the burst, from 0
   * @return the state
   */
  public static Struct of(String session, int stepIndex, int n) {
    Struct cursor =
        Struct.newBuilder()
            .putFields("x", number((stepIndex * 37 + n * 11) % 1920))
            .putFields("y", number((stepIndex * 53 + n * 7) % 1080))
            .build();
    Struct origin =
        Struct.newBuilder()
            .putFields("session", Value.newBuilder().setStringValue(session).build())
            .putFields("step", number(stepIndex))
            .putFields("n", number(n))
            .build();
    return Struct.newBuilder()
        .putFields("cursor", Value.newBuilder().setStructValue(cursor).build())
        .putFields("origin", Value.newBuilder().setStructValue(origin).build())
        .build();
  }

  /**
   * Returns where a scenario state came from, or null for a state no scenario sends.
   *
   * @param state a received state
   * @return its origin
   */
  public static Origin originOf(Struct state) {
    Value origin = state.getFieldsOrDefault("origin", null);
    if (origin == null || !origin.hasStructValue()) {
      return null;
    }
    Struct o = origin.getStructValue();
    Value session = o.getFieldsOrDefault("session", null);
    Value step = o.getFieldsOrDefault("step", null);
    Value n = o.getFieldsOrDefault("n", null);
    if (session == null || step == null || n == null) {
      return null;
    }
    return new Origin(session.getStringValue(), (int) step.getNumberValue(), (int) n.getNumberValue());
  }

  private static Value number(double v) {
    return Value.newBuilder().setNumberValue(v).build();
  }

  /**
   * Where a state came from; ordered by when it was sent.
   *
   * @param session the sending session
   * @param step the step index
   * @param n the position in the burst
   */
  public record Origin(String session, int step, int n) implements Comparable<Origin> {
    @Override
    public int compareTo(Origin other) {
      int byStep = Integer.compare(step, other.step);
      return byStep != 0 ? byStep : Integer.compare(n, other.n);
    }

    @Override
    public String toString() {
      return session + "@" + step + "." + n;
    }
  }
}
