package dev.presence.client;

/**
 * Receives room membership changes. Calls arrive one at a time, in server order, on the client's callback
 * executor, and stop once the registration is closed or the client is closed. Exceptions are logged and
 * ignored.
 */
public interface MembershipListener {
  /**
   * A user's first session in the room opened, or the user appeared after a reconnect.
   *
   * @param user the member
   */
  void onJoined(User user);

  /**
   * A user's last session in the room ended, or the user disappeared during a reconnect.
   *
   * @param user the former member
   * @param reason why, when the server said; {@link NullReason#UNKNOWN} after a reconnect
   */
  void onLeft(User user, NullReason reason);
}
