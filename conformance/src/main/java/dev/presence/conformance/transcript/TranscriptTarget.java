package dev.presence.conformance.transcript;

import dev.presence.conformance.driver.Endpoints;
import java.util.Map;
import java.util.Optional;

/** Where transcripts run: a server, arranged with a transcript's settings when the target can do that. */
@FunctionalInterface
public interface TranscriptTarget {

  /**
   * Returns a server with the settings, or empty when this target cannot arrange them.
   *
   * @param settings the transcript's {@code # server:} settings; empty when any server will do
   * @param auth how the transcript's sessions claim identities, for a target that starts its server to match
   * @return the server, which the replayer closes after the transcript
   * @throws Exception if arranging the server failed
   */
  Optional<Server> arrange(Map<String, String> settings, Transcript.Auth auth) throws Exception;

  /**
   * A server that is already running, as the command line has: it can replay only transcripts without settings,
   * and mints no tokens.
   *
   * @param endpoints where it serves sessions
   * @return the target
   */
  static TranscriptTarget fixed(Endpoints endpoints) {
    Server server = new Server(endpoints, null, null, () -> { });
    return (settings, auth) -> settings.isEmpty() ? Optional.of(server) : Optional.empty();
  }

  /**
   * A server for one transcript.
   *
   * @param endpoints where it serves sessions, which a transcript's sessions take in turn; a fault proxy needs
   *     their addresses
   * @param drain begins the server's shutdown, or null when the replayer cannot
   * @param minter mints tokens the server accepts, or null when the replayer does not know the server's key
   * @param release frees the server after the transcript
   */
  // Closing may wait for a server to stop, so it may be interrupted; the replayer passes the interrupt on.
  @SuppressWarnings("try")
  record Server(Endpoints endpoints, Runnable drain, TokenMinter minter, AutoCloseable release)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      release.close();
    }
  }
}
