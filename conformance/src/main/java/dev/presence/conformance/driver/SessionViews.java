package dev.presence.conformance.driver;

import com.google.protobuf.Struct;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.model.SessionView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Builds every session's {@link SessionView} from a history. */
public final class SessionViews {

  private SessionViews() {}

  /**
   * Replays a history into one view per session.
   *
   * @param history the observations, in order
   * @return session name to its view
   */
  public static Map<String, SessionView> of(List<Observation> history) {
    Map<String, SessionView> views = new LinkedHashMap<>();
    for (Observation o : history) {
      if (o instanceof Observation.Sent s) {
        views.computeIfAbsent(s.session(), k -> new SessionView()).onSent(s.frame());
      } else if (o instanceof Observation.Received r) {
        views.computeIfAbsent(r.session(), k -> new SessionView()).onReceived(r.frame());
      }
    }
    return views;
  }

  /**
   * Renames the users of a view's states from wire ids to scenario names, in a stable order.
   *
   * @param statesBySubscription a view's states
   * @param scenarioUser maps a wire user id to its scenario name
   * @return the renamed states
   */
  public static Map<String, Map<String, Struct>> byScenarioUser(
      Map<String, Map<String, Struct>> statesBySubscription, UnaryOperator<String> scenarioUser) {
    Map<String, Map<String, Struct>> renamed = new TreeMap<>();
    statesBySubscription.forEach((id, states) -> {
      Map<String, Struct> byUser = new TreeMap<>();
      states.forEach((user, state) -> byUser.put(scenarioUser.apply(user), state));
      renamed.put(id, byUser);
    });
    return renamed;
  }
}
