package dev.presence.conformance.client.scenario;

import com.google.protobuf.Struct;
import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.check.Violation;
import dev.presence.conformance.client.adapter.Timed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PRS-RCN-2 over scenarios with a reset or a restart: the SDK opens a session again; once settled no sync shows a
 * user who has no state in the room (a ghost the comparison should have nulled; after held snapshots the SDK's own
 * user is left out, as in {@link SettledViewChecker}); and from the first reconnect on,
 * no callback repeats the state a sync already shows for a user (an unchanged user reported again).
 */
final class ReconnectChecker implements ClientChecker {

  @Override
  public String requirementId() {
    return "PRS-RCN-2";
  }

  @Override
  public List<String> clauses() {
    return List.of("After reconnecting, a client MUST open the session again",
        "it MUST report a null for a user it held who is absent from the new snapshot, a state for a user whose "
            + "state differs, and nothing for a user whose state is unchanged.");
  }

  @Override
  public List<Violation> check(ClientRun run) {
    int reconnect = firstReconnect(run);
    if (reconnect < 0 || run.abortReason().isPresent()) {
      return List.of();
    }
    List<Violation> violations = new ArrayList<>();
    if (!run.settled()) {
      violations.add(new Violation(requirementId(), reconnect, "after the reconnect the run could not settle: "
          + run.settleFailure().get()));
      return violations;
    }
    long since = run.stepNanos().get(reconnect);
    run.liveSyncs().keySet().forEach(sync -> {
      run.callbackView(sync).keySet().stream().filter(u -> !run.roomStates().containsKey(u))
          .filter(u -> !(run.refreshed() && u.equals(run.ownUser()))).forEach(u ->
          violations.add(new Violation(requirementId(), run.executed() - 1, "once settled, sync " + sync
              + " still shows " + u + ", who has no state in the room")));
      Map<String, Struct> view = new HashMap<>();
      for (Timed t : run.changes(sync)) {
        Change c = t.report().getChange();
        if (c.hasState() && c.getState().equals(view.get(c.getUserId())) && t.nanos() >= since) {
          violations.add(new Violation(requirementId(), run.stepAt(t.nanos()), "sync " + sync + " was told "
              + c.getUserId() + "'s state " + ScenarioStates.label(c.getState()) + " again, unchanged"));
        }
        if (c.hasState()) {
          view.put(c.getUserId(), c.getState());
        } else {
          view.remove(c.getUserId());
        }
      }
    });
    return violations;
  }

  private static int firstReconnect(ClientRun run) {
    for (var e : run.executedSteps()) {
      if (e.getValue() instanceof ClientStep.Reset || e.getValue() instanceof ClientStep.Restart) {
        return e.getKey();
      }
    }
    return -1;
  }
}
