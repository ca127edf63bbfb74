package dev.presence.client;

/**
 * Why a user's presence became null, as reported with a {@link PresenceChange} whose state is null.
 */
public enum NullReason {
  /** The user's last session in the room ended on purpose or was ended by the server. */
  LEFT,
  /** The user is still in the room but no longer has any state. */
  CLEARED,
  /** The user's last session ended because its peer stopped responding or stayed idle. */
  TIMED_OUT,
  /** The user left this subscription's scope (unsubscribe, unfollow). */
  OUT_OF_SCOPE,
  /** The user's last session ended because its credentials expired or were revoked. */
  REVOKED,
  /**
   * The server gave a reason this client does not know; the presence is null all the same.
   */
  UNKNOWN
}
