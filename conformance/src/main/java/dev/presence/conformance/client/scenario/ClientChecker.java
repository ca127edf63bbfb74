package dev.presence.conformance.client.scenario;

import dev.presence.conformance.check.Violation;
import java.util.List;

/** Judges one client rule over a recorded {@link ClientRun}. */
public interface ClientChecker {

  /** Returns the SPEC.md rule it judges. */
  String requirementId();

  /** Returns the clauses of the rule it enforces, each quoted word for word from SPEC.md. */
  List<String> clauses();

  /**
   * Judges a run.
   *
   * @param run the recorded run
   * @return the departures found, empty when the run kept the rule
   */
  List<Violation> check(ClientRun run);
}
