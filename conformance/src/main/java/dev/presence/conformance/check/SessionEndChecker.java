package dev.presence.conformance.check;

import dev.presence.conformance.history.Binding;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.SessionEnd;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PRS-WS-10 over every session of a run: {@code session_end} only on the WebSocket binding and as its session's last
 * frame, a Close frame that agrees with it, and no Close frame with a status of its own (1000 unasked, or 4000 and
 * up) that lacks one.
 */
public final class SessionEndChecker implements Checker {

  private static final int NORMAL_CLOSURE = 1000;
  private static final int GRPC_CODE_BASE = 4000;

  @Override
  public String requirementId() {
    return "PRS-WS-10";
  }

  @Override
  public List<String> clauses() {
    return List.of(
        "it MUST send a session_end frame",
        "and then a Close frame: code 1000 when the status is OK, otherwise 4000 plus the code's number (4003 for "
            + "INVALID_ARGUMENT, 4016 for UNAUTHENTICATED), with the reason as the Close frame's reason text.",
        "session_end is the last frame of the session.",
        "A server MUST NOT send session_end on the gRPC binding.");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    Map<String, Binding> bindings = new HashMap<>();
    Map<String, SessionEnd> ends = new HashMap<>();
    Set<String> closedByKit = new HashSet<>();
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      Observation o = history.get(i);
      int step = run.stepAt(i);
      if (o instanceof Observation.Started s) {
        bindings.put(s.session(), s.binding());
      } else if (o instanceof Observation.KitEnded k && k.how() == EndKind.HALF_CLOSE) {
        closedByKit.add(k.session());
      } else if (o instanceof Observation.SessionEndReceived e) {
        if (bindings.get(e.session()) == Binding.GRPC) {
          violations.add(new Violation(requirementId(), step, e.session() + " is a gRPC call and received "
              + "session_end"));
        } else if (ends.putIfAbsent(e.session(), e.frame()) != null) {
          violations.add(new Violation(requirementId(), step, e.session() + " received a second session_end"));
        }
      } else if (o instanceof Observation.Received r && ends.containsKey(r.session())) {
        violations.add(new Violation(requirementId(), step, r.session() + " received " + r.frame().getFrameCase()
            + " after session_end, which must be the last frame"));
      } else if (o instanceof Observation.WebSocketClosed c) {
        closeAgrees(c, ends.get(c.session()), closedByKit.contains(c.session()))
            .ifPresent(m -> violations.add(new Violation(requirementId(), step, m)));
      }
    }
    return violations;
  }

  /**
   * Returns what is wrong with a Close frame from the server, given the session_end before it, if any.
   *
   * @param close the Close frame, or code 1006 for none
   * @param end the session_end before it, or null
   * @param kitClosedFirst whether the kit sent its own Close frame first, which a Close 1000 may answer
   */
  public static java.util.Optional<String> closeAgrees(Observation.WebSocketClosed close, SessionEnd end,
      boolean kitClosedFirst) {
    if (close.code() == Observation.WebSocketClosed.NO_CLOSE_FRAME) {
      return java.util.Optional.empty();
    }
    if (end == null) {
      boolean statusCode = close.code() >= GRPC_CODE_BASE || (close.code() == NORMAL_CLOSURE && !kitClosedFirst);
      return statusCode ? java.util.Optional.of(close.session() + " was closed with " + close.code()
          + (close.reason().isEmpty() ? "" : " '" + close.reason() + "'") + " without a session_end first")
          : java.util.Optional.empty();
    }
    int expected = end.getCode() == 0 ? NORMAL_CLOSURE : GRPC_CODE_BASE + end.getCode();
    if (close.code() != expected || !close.reason().equals(end.getReason())) {
      return java.util.Optional.of(close.session() + " received session_end code " + end.getCode() + " reason '"
          + end.getReason() + "', then Close " + close.code() + " '" + close.reason() + "'; the Close frame must "
          + "be " + expected + " '" + end.getReason() + "'");
    }
    return java.util.Optional.empty();
  }
}
