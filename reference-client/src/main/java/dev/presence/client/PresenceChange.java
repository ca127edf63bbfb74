package dev.presence.client;

import java.util.Objects;

/**
 * One change of a user's presence as seen by one subscription.
 *
 * @param userId the user whose presence changed
 * @param state the user's new whole state, or null when the user left, cleared their presence or left the
 *     subscription's scope
 * @param reason why the state is null; null exactly when {@code state} is not null
 */
public record PresenceChange(String userId, State state, NullReason reason) {

  /**
   * Checks the pairing of state and reason.
   *
   * @param userId the user
   * @param state the state or null
   * @param reason the null reason, set exactly when state is null
   */
  public PresenceChange {
    Objects.requireNonNull(userId, "userId");
    if ((state == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of state and reason must be set");
    }
  }

  /**
   * Tells whether the user's presence is now null.
   *
   * @return true if {@link #state()} is null
   */
  public boolean isNull() {
    return state == null;
  }

  @Override
  public String toString() {
    // States are presence payloads: keep them out of anything that may end up in a log.
    return state == null
        ? "PresenceChange[" + userId + " null " + reason + "]"
        : "PresenceChange[" + userId + " state]";
  }
}
