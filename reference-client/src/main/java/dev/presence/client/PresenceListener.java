package dev.presence.client;

/**
 * Receives the presence changes of one subscription made with {@link Presence#sync}.
 *
 * <p>Contract: calls arrive one at a time, in the order the server sent the events, on the client's callback
 * executor. A listener never sees a null for a user it was not last given a non-null state for, and never two
 * nulls in a row for one user. After its {@link Subscription} is closed, after {@link Presence#unsync()} or
 * after {@link PresenceClient#close()} returns, the listener is not called again (a call already running on
 * another thread finishes first: those methods wait for it). An exception thrown by the listener is logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface PresenceListener {
  /**
   * Called for every change in the subscription's scope.
   *
   * @param change the user and their new state, or null state with a reason
   */
  void onChange(PresenceChange change);

  /**
   * Called once if the server refused the subscription (for example too many subscriptions); the
   * subscription is then closed and receives nothing more. The default does nothing; the refusal is logged.
   *
   * @param error the server's reason
   */
  default void onError(PresenceException error) {}
}
