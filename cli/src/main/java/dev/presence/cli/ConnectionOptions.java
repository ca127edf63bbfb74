package dev.presence.cli;

import dev.presence.client.PresenceClient;
import dev.presence.client.PresenceException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by every command: where to connect and as whom. */
public final class ConnectionOptions {
  @Option(names = "--target", defaultValue = "${env:PRESENCE_TARGET:-localhost:50051}",
      description = "Server address host:port (env PRESENCE_TARGET; default ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--room", required = true, description = "Room id.")
  String room;

  @Option(names = "--token", defaultValue = "${env:PRESENCE_TOKEN}",
      description = "Bearer token (env PRESENCE_TOKEN).")
  String token;

  @Option(names = "--user", description = "User id to claim from a server in the insecure development auth mode.")
  String user;

  @Option(names = "--name", defaultValue = "", description = "Display name for the development auth mode.")
  String name;

  @Option(names = "--tls", description = "Use TLS.")
  boolean tls;

  @Option(names = "--connect-timeout-millis", defaultValue = "10000",
      description = "Give up if the first session is not open within this time (default ${DEFAULT-VALUE}).")
  long connectTimeoutMillis;

  @Option(names = "--ca-file", description = "PEM file of CA certificates to trust (implies --tls).")
  Path caFile;

  /**
   * Opens the first session within the connect timeout.
   *
   * @param client the client
   * @return false if the client was closed first, which only a {@link StopRequest} does: the user stopped the
   *     command before it joined
   * @throws Exception with a readable message when the session cannot be opened
   */
  boolean connect(PresenceClient client) throws Exception {
    try {
      client.connect().get(connectTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no session with " + target + " within " + connectTimeoutMillis + " ms", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof PresenceException p && p.reason().equals("CLIENT_CLOSED")) {
        return false;
      }
      throw new IllegalStateException("cannot join room " + room + ": " + e.getCause().getMessage(), e);
    }
  }

  /**
   * A builder configured from these options.
   *
   * @return the builder
   */
  PresenceClient.Builder builder() {
    PresenceClient.Builder b = PresenceClient.builder().target(target).room(room).tls(tls)
        .clientAgent("presence-cli/0.1");
    if (token != null && !token.isEmpty()) {
      String t = token;
      b.token(() -> t);
    }
    if (user != null) {
      b.devIdentity(user, name);
    }
    if (caFile != null) {
      b.trustedCertificates(caFile);
    }
    return b;
  }
}
