package dev.presence.client;

/** The lifecycle of a {@link PresenceClient}'s session with the server. */
public enum ConnectionState {
  /** Opening the first session; no {@code opened} has arrived yet. */
  CONNECTING,
  /** A session is open. */
  CONNECTED,
  /** The session was lost and the client is reopening it with backoff. */
  RECONNECTING,
  /** The client is closed for good, by {@link PresenceClient#close()} or a non-retryable error. */
  CLOSED
}
