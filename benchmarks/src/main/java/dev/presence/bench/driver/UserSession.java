package dev.presence.bench.driver;

/** One user's open session in a room. {@link #send} is called from one thread at a time. */
public interface UserSession {
  /** Sends the state without blocking; the driver may buffer. */
  void send(CursorState state);

  /**
   * Stops reading from the server, as a client whose app froze: the driver no longer asks for messages
   * so that transport flow control pushes back on the server. Irreversible.
   */
  void stopReading();

  /** Ends the session the way a client closing its tab would; idempotent. */
  void close();
}
