package dev.presence.conformance.client.scenario;

import dev.presence.conformance.check.Violation;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.protocol.v1.ConnectRequest;
import java.util.List;
import java.util.Optional;

/**
 * PRS-THC-3, its last sentence: once the run settled, the last {@code update_state} of the SDK's last session
 * carries the last state the application set, unless the application cleared its state after. The run waited the
 * request timeout for it, far longer than a window.
 */
final class LastStateChecker implements ClientChecker {

  @Override
  public String requirementId() {
    return "PRS-THC-3";
  }

  @Override
  public List<String> clauses() {
    return List.of("The last state the application sets MUST be sent.");
  }

  @Override
  public List<Violation> check(ClientRun run) {
    Optional<Integer> lastStep = Optional.empty();
    String lastLabel = null;
    for (var e : run.executedSteps()) {
      if (e.getValue() instanceof ClientStep.Update u) {
        lastStep = Optional.of(e.getKey());
        lastLabel = u.lastLabel();
      } else if (e.getValue() instanceof ClientStep.Clear) {
        lastStep = Optional.empty();
      }
    }
    if (lastStep.isEmpty() || !run.settled() || run.sessions().isEmpty()) {
      return List.of();
    }
    ClientRun.Session last = run.sessions().get(run.sessions().size() - 1);
    List<Inbound> updates = last.inbound(ConnectRequest.FrameCase.UPDATE_STATE);
    String sent = updates.isEmpty() ? "none"
        : ScenarioStates.label(updates.get(updates.size() - 1).frame().orElseThrow().getUpdateState().getState());
    if (sent.equals(lastLabel)) {
      return List.of();
    }
    return List.of(new Violation(requirementId(), lastStep.get(), "the application last set state " + lastLabel
        + ", but the last update_state of session " + (last.index() + 1) + " carried " + sent + " once the run "
        + "settled, " + run.timing().requestTimeout().toMillis() + " ms or more later"));
  }
}
