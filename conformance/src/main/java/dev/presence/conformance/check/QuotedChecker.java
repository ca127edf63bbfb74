package dev.presence.conformance.check;

import java.util.List;

/** A checker built for one of several rules it can judge, holding the rule's id and the clauses it quotes. */
public abstract class QuotedChecker implements Checker {

  private final String requirementId;
  private final List<String> clauses;

  /**
   * Creates a checker of one rule.
   *
   * @param requirementId the SPEC.md rule
   * @param clauses the rule's clauses it enforces, quoted word for word
   */
  protected QuotedChecker(String requirementId, List<String> clauses) {
    this.requirementId = requirementId;
    this.clauses = List.copyOf(clauses);
  }

  @Override
  public final String requirementId() {
    return requirementId;
  }

  @Override
  public final List<String> clauses() {
    return clauses;
  }
}
