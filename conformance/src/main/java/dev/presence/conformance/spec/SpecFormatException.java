package dev.presence.conformance.spec;

/** Thrown when SPEC.md breaks its own rule-identifier format. */
public final class SpecFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param lineNumber the one-based line of SPEC.md at fault
   * @param problem what is wrong there
   */
  public SpecFormatException(int lineNumber, String problem) {
    super("SPEC.md line " + lineNumber + ": " + problem);
  }
}
