package dev.presence.conformance.scenario;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.conformance.history.EndKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario to and from a JSON object ({@link Struct}), the form replay files hold. One step is one object with an
 * {@code "op"} field; the format is stable so that replay files outlive kit versions.
 */
public final class ScenarioCodec {

  /** Written only when true, so that files from kits without capabilities read as declaring none. */
  private static final String DECLARES_PING = "declaresPing";

  private ScenarioCodec() {}

  /** Encodes a scenario as {@code {"steps": [...]}}. */
  public static Struct encode(Scenario scenario) {
    ListValue.Builder steps = ListValue.newBuilder();
    for (Step step : scenario.steps()) {
      steps.addValues(Value.newBuilder().setStructValue(encode(step)));
    }
    return Struct.newBuilder().putFields("steps", Value.newBuilder().setListValue(steps).build()).build();
  }

  /**
   * Decodes what {@link #encode(Scenario)} produced.
   *
   * @throws IllegalArgumentException naming the step that cannot be decoded
   */
  public static Scenario decode(Struct json) {
    List<Step> steps = new ArrayList<>();
    List<Value> values = json.getFieldsOrThrow("steps").getListValue().getValuesList();
    for (int i = 0; i < values.size(); i++) {
      try {
        steps.add(decodeStep(values.get(i).getStructValue()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("step " + i + " cannot be decoded: " + e.getMessage(), e);
      }
    }
    return new Scenario(steps);
  }

  private static Struct encode(Step step) {
    Struct.Builder s = Struct.newBuilder().putFields("session", text(step.session()));
    if (step instanceof Step.Join j) {
      s.putFields("op", text("join")).putFields("user", text(j.user())).putFields("room", text(j.room()));
      if (j.declaresPing()) {
        s.putFields(DECLARES_PING, Value.newBuilder().setBoolValue(true).build());
      }
    } else if (step instanceof Step.Update u) {
      ListValue.Builder gaps = ListValue.newBuilder();
      u.gapsMillis().forEach(g -> gaps.addValues(Value.newBuilder().setNumberValue(g)));
      s.putFields("op", text("update")).putFields("gapsMillis", Value.newBuilder().setListValue(gaps).build());
    } else if (step instanceof Step.Clear) {
      s.putFields("op", text("clear"));
    } else if (step instanceof Step.Subscribe sub) {
      s.putFields("op", text("subscribe")).putFields("subscription", text(sub.subscriptionId()))
          .putFields("target", text(sub.target().kind().name()));
      if (sub.target().user() != null) {
        s.putFields("user", text(sub.target().user()));
      }
    } else if (step instanceof Step.Unsubscribe u) {
      s.putFields("op", text("unsubscribe")).putFields("subscription", text(u.subscriptionId()));
    } else if (step instanceof Step.Follow f) {
      s.putFields("op", text("follow")).putFields("user", text(f.user()));
    } else if (step instanceof Step.Unfollow f) {
      s.putFields("op", text("unfollow")).putFields("user", text(f.user()));
    } else if (step instanceof Step.End e) {
      s.putFields("op", text("end")).putFields("how", text(e.how().name()));
    }
    return s.build();
  }

  private static Step decodeStep(Struct s) {
    String session = string(s, "session");
    return switch (string(s, "op")) {
      case "join" -> new Step.Join(session, string(s, "user"), string(s, "room"), flag(s, DECLARES_PING));
      case "update" -> new Step.Update(session, s.getFieldsOrThrow("gapsMillis").getListValue().getValuesList()
          .stream().map(v -> (int) v.getNumberValue()).toList());
      case "clear" -> new Step.Clear(session);
      case "subscribe" -> new Step.Subscribe(session, string(s, "subscription"),
          new TargetSpec(TargetSpec.Kind.valueOf(string(s, "target")),
              s.containsFields("user") ? string(s, "user") : null));
      case "unsubscribe" -> new Step.Unsubscribe(session, string(s, "subscription"));
      case "follow" -> new Step.Follow(session, string(s, "user"));
      case "unfollow" -> new Step.Unfollow(session, string(s, "user"));
      case "end" -> new Step.End(session, EndKind.valueOf(string(s, "how")));
      default -> throw new IllegalArgumentException("unknown op '" + string(s, "op") + "'");
    };
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static boolean flag(Struct s, String field) {
    if (!s.containsFields(field)) {
      return false;
    }
    Value v = s.getFieldsOrThrow(field);
    if (v.getKindCase() != Value.KindCase.BOOL_VALUE) {
      throw new IllegalArgumentException("field '" + field + "' must be a boolean");
    }
    return v.getBoolValue();
  }

  private static String string(Struct s, String field) {
    Value v = s.getFieldsOrThrow(field);
    if (v.getKindCase() != Value.KindCase.STRING_VALUE) {
      throw new IllegalArgumentException("field '" + field + "' must be a string");
    }
    return v.getStringValue();
  }
}
