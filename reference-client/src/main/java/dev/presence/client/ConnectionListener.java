package dev.presence.client;

/**
 * Receives the connection lifecycle of a {@link PresenceClient}.
 *
 * <p>Calls arrive one at a time, in order, on the client's callback executor (see
 * {@link PresenceClient.Builder#callbackExecutor}). {@link ConnectionState#CLOSED} is the last call a
 * listener ever receives: nothing follows it. When the client is closed by {@link PresenceClient#close()},
 * that final call is made on the thread calling {@code close()} before it returns.
 */
@FunctionalInterface
public interface ConnectionListener {
  /**
   * Called when the connection state changes.
   *
   * @param state the new state
   * @param cause why the previous session ended or why the client closed; null when there is no error
   */
  void onConnectionState(ConnectionState state, Throwable cause);
}
