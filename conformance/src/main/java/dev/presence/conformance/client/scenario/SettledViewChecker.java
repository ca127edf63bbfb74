package dev.presence.conformance.client.scenario;

import com.google.protobuf.Struct;
import dev.presence.conformance.check.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * PRS-EVT-3 and PRS-EVT-4 through the settled view: once the run settled, what each live sync's callbacks add up to
 * equals what a correct client shows, the room's non-null presences of the users the sync's target covers, with
 * {@code 'following'} covering the confirmed follow set. Live and tagged events both shape that view and a black
 * box cannot tell which one went astray, so both rules judge the same view. After held snapshots the SDK's own
 * user is left out: its state cannot be set anew by the kit (see {@link ClientRun#refreshed()}).
 */
final class SettledViewChecker implements ClientChecker {

  private final String requirementId;
  private final List<String> clauses;

  private SettledViewChecker(String requirementId, List<String> clauses) {
    this.requirementId = requirementId;
    this.clauses = clauses;
  }

  static SettledViewChecker liveEvents() {
    return new SettledViewChecker("PRS-EVT-3", List.of("A client MUST apply a live event to every subscription "
        + "whose confirmed target covers the event's user, and to no other subscription.",
        "Coverage of `followed_users` uses the confirmed follow set"));
  }

  static SettledViewChecker taggedEvents() {
    return new SettledViewChecker("PRS-EVT-4", List.of("A client MUST apply a tagged event to exactly the "
        + "subscriptions it names that it still holds, whatever their targets."));
  }

  @Override
  public String requirementId() {
    return requirementId;
  }

  @Override
  public List<String> clauses() {
    return clauses;
  }

  @Override
  public List<Violation> check(ClientRun run) {
    if (!run.settled()) {
      return List.of();
    }
    List<Violation> violations = new ArrayList<>();
    int last = run.executed() - 1;
    run.liveSyncs().forEach((sync, target) -> {
      Map<String, Struct> shown = run.callbackView(sync);
      Map<String, Struct> expected = run.expectedView(target);
      Set<String> users = new LinkedHashSet<>(expected.keySet());
      users.addAll(shown.keySet());
      if (run.refreshed()) {
        users.remove(run.ownUser());
      }
      for (String user : users) {
        if (!Objects.equals(shown.get(user), expected.get(user))) {
          violations.add(new Violation(requirementId, last, "once settled, sync " + sync + " (target " + target
              + (target.equals(ClientStep.FOLLOWING) ? ", confirmed follows " + run.follows() : "") + ") shows "
              + user + " as " + ScenarioStates.label(shown.get(user)) + ", but a correct client shows "
              + ScenarioStates.label(expected.get(user))));
        }
      }
    });
    return violations;
  }
}
