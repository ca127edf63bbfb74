package dev.presence.conformance.directed;

/** Thrown by a directed case when the server departs from the requirement; the message says how. */
public final class CaseFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with what was expected and what was observed. */
  public CaseFailure(String message) {
    super(message, null, false, false);
  }
}
