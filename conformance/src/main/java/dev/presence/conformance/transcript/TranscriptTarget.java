package dev.presence.conformance.transcript;

import dev.presence.conformance.driver.NetworkAccess;
import io.grpc.Channel;
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
   * @param channel the channel to it
   * @param network how to put a fault proxy in front of it, or null
   * @return the target
   */
  static TranscriptTarget fixed(Channel channel, NetworkAccess network) {
    Server server = new Server(channel, network, null, null, () -> { });
    return (settings, auth) -> settings.isEmpty() ? Optional.of(server) : Optional.empty();
  }

  /**
   * A server for one transcript.
   *
   * @param channel the channel to it
   * @param network how to put a fault proxy in front of it, or null when the replayer cannot
   * @param drain begins the server's shutdown, or null when the replayer cannot
   * @param minter mints tokens the server accepts, or null when the replayer does not know the server's key
   * @param release frees the server after the transcript
   */
  record Server(Channel channel, NetworkAccess network, Runnable drain, TokenMinter minter, AutoCloseable release)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      release.close();
    }
  }
}
