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
   * Returns the clauses of the requirement this checker enforces, each quoted word for word from SPEC.md, so that
   * reports and {@code --list} can say which parts of a rule are checked and which are not. A quote covers only what
   * the checker really judges: half a sentence when it judges half.
   */
  List<String> clauses();

  /**
   * Returns every violation of the requirement in the run; empty when the run satisfies it.
   *
   * @param run the analysed run
   * @return the violations, in the order observed
   */
  List<Violation> check(RunAnalysis run);
}
