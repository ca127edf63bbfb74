package dev.presence.conformance.check;

import java.util.List;

/**
 * Judges one requirement of SPEC.md over a finished run. A checker is a pure function of the run: it performs no
 * I/O and depends on no clock.
 */
public interface Checker {

  /** Returns the SPEC.md identifier this checker judges. */
  String requirementId();

  /**
   * Returns every violation of the requirement in the run; empty when the run satisfies it.
   *
   * @param run the analysed run
   * @return the violations, in the order observed
   */
  List<Violation> check(RunAnalysis run);
}
