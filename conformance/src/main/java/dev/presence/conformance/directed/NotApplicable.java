package dev.presence.conformance.directed;

/**
 * Thrown by a case that cannot apply to this target or these credentials. The message says what went unchecked and
 * why; the cause only why, in words that every case with the same cause shares, so that a report can count the
 * rules each cause left unchecked.
 */
public final class NotApplicable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String cause;

  /** Creates the signal with the reason, which is its own cause. */
  public NotApplicable(String reason) {
    this(reason, reason);
  }

  private NotApplicable(String message, String cause) {
    super(message, null, false, false);
    this.cause = cause;
  }

  /**
   * Creates the signal for a check that could not run.
   *
   * @param what the check, as a clause such as {@code that an expired token is refused}
   * @param because why it could not run
   * @return the signal, whose message is {@code not checked: WHAT, since BECAUSE}
   */
  public static NotApplicable unchecked(String what, String because) {
    return new NotApplicable("not checked: " + what + ", since " + because, because);
  }

  /** Returns why the case could not apply, without what it would have checked. */
  public String why() {
    return cause;
  }
}
