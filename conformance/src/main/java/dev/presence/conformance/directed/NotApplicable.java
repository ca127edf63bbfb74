package dev.presence.conformance.directed;

/** Thrown by a directed case that cannot apply to this target or these credentials; the message says why. */
public final class NotApplicable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the signal with the reason. */
  public NotApplicable(String reason) {
    super(reason, null, false, false);
  }
}
