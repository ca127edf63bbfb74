package dev.presence.server;

import dev.presence.server.config.AllowedOrigins;
import dev.presence.server.config.AuthMode;
import dev.presence.server.config.ConfigException;
import dev.presence.server.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line entry point. Every flag can also be set through the environment variable named in its
 * description, which is how containers usually configure servers.
 */
@Command(
    name = "presence-server",
    mixinStandardHelpOptions = true,
    version = "presence-server 0.1.0 (protocol presence.v1)",
    sortOptions = false,
    description = "Reference single-node presence.v1 server.%n"
        + "Each option may also be given as the environment variable shown; the flag wins.")
public final class Main implements Callable<Integer> {
  /** Exit code for invalid settings. */
  static final int EXIT_BAD_CONFIG = 2;
  /** Exit code when the server cannot start, e.g. the port is taken. */
  static final int EXIT_START_FAILED = 1;

  @Option(names = "--host", defaultValue = "${env:PRESENCE_HOST:-}",
      description = "Address the gRPC, WebSocket and metrics ports bind; 0.0.0.0 binds every interface. Unset: "
          + ServerConfig.LOOPBACK_HOST + " (loopback only) with --auth none, every interface otherwise. "
          + "Env PRESENCE_HOST.")
  String host;

  @Option(names = "--port", defaultValue = "${env:PRESENCE_PORT:-" + ServerConfig.DEFAULT_PORT + "}",
      description = "TCP port; 0 picks a free one. Env PRESENCE_PORT. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--auth", defaultValue = "${env:PRESENCE_AUTH:-" + ServerConfig.DEFAULT_AUTH_MODE + "}",
      description = "Authentication mode: ${COMPLETION-CANDIDATES}. 'none' is INSECURE (clients pick their "
          + "own user id); 'jwt' verifies bearer tokens (see --jwt-*). Env PRESENCE_AUTH. Default: ${DEFAULT-VALUE}.")
  AuthMode auth;

  @Option(names = "--throttle-window-millis",
      defaultValue = "${env:PRESENCE_THROTTLE_WINDOW_MILLIS:-" + ServerConfig.DEFAULT_THROTTLE_WINDOW_MILLIS + "}",
      description = "Throttle window W, 16..1000. Env PRESENCE_THROTTLE_WINDOW_MILLIS. Default: ${DEFAULT-VALUE}.")
  int throttleWindowMillis;

  @Option(names = "--max-state-bytes",
      defaultValue = "${env:PRESENCE_MAX_STATE_BYTES:-" + ServerConfig.DEFAULT_MAX_STATE_BYTES + "}",
      description = "Largest state, at least 1024. Env PRESENCE_MAX_STATE_BYTES. Default: ${DEFAULT-VALUE}.")
  int maxStateBytes;

  @Option(names = "--max-subscriptions",
      defaultValue = "${env:PRESENCE_MAX_SUBSCRIPTIONS:-" + ServerConfig.DEFAULT_MAX_SUBSCRIPTIONS + "}",
      description = "Subscriptions per session, at least 4. Env PRESENCE_MAX_SUBSCRIPTIONS. Default: ${DEFAULT-VALUE}.")
  int maxSubscriptions;

  @Option(names = "--max-follows",
      defaultValue = "${env:PRESENCE_MAX_FOLLOWS:-" + ServerConfig.DEFAULT_MAX_FOLLOWS + "}",
      description = "Follows per session, at least 16. Env PRESENCE_MAX_FOLLOWS. Default: ${DEFAULT-VALUE}.")
  int maxFollows;

  @Option(names = "--max-inbound-frame-bytes",
      defaultValue = "${env:PRESENCE_MAX_INBOUND_FRAME_BYTES:-" + ServerConfig.DEFAULT_MAX_INBOUND_FRAME_BYTES + "}",
      description = "Largest inbound frame, at least max-state-bytes + 1024. Env PRESENCE_MAX_INBOUND_FRAME_BYTES. "
          + "Default: ${DEFAULT-VALUE}.")
  int maxInboundFrameBytes;

  @Option(names = "--max-state-depth",
      defaultValue = "${env:PRESENCE_MAX_STATE_DEPTH:-" + ServerConfig.DEFAULT_MAX_STATE_DEPTH + "}",
      description = "Deepest state (Struct and ListValue levels), 8..32. Env PRESENCE_MAX_STATE_DEPTH. "
          + "Default: ${DEFAULT-VALUE}.")
  int maxStateDepth;

  @Option(names = "--max-outbound-frame-bytes",
      defaultValue = "${env:PRESENCE_MAX_OUTBOUND_FRAME_BYTES:-" + ServerConfig.DEFAULT_MAX_OUTBOUND_FRAME_BYTES + "}",
      description = "Largest frame sent after opened, at least max(65536, max-state-bytes + 68 x max-subscriptions "
          + "+ 1024), at most 4194304. Env PRESENCE_MAX_OUTBOUND_FRAME_BYTES. Default: ${DEFAULT-VALUE}.")
  int maxOutboundFrameBytes;

  @Option(names = "--max-sessions-per-user",
      defaultValue = "${env:PRESENCE_MAX_SESSIONS_PER_USER:-" + ServerConfig.DEFAULT_MAX_SESSIONS_PER_USER + "}",
      description = "Sessions of one user in one room. Env PRESENCE_MAX_SESSIONS_PER_USER. Default: ${DEFAULT-VALUE}.")
  int maxSessionsPerUser;

  @Option(names = "--max-sessions-per-room",
      defaultValue = "${env:PRESENCE_MAX_SESSIONS_PER_ROOM:-" + ServerConfig.DEFAULT_MAX_SESSIONS_PER_ROOM + "}",
      description = "Sessions in one room, at least 2. Env PRESENCE_MAX_SESSIONS_PER_ROOM. Default: ${DEFAULT-VALUE}.")
  int maxSessionsPerRoom;

  @Option(names = "--max-sessions-total",
      defaultValue = "${env:PRESENCE_MAX_SESSIONS_TOTAL:-" + ServerConfig.DEFAULT_MAX_SESSIONS_TOTAL + "}",
      description = "Sessions on this server. Env PRESENCE_MAX_SESSIONS_TOTAL. Default: ${DEFAULT-VALUE}.")
  int maxSessionsTotal;

  @Option(names = "--leave-detection-millis",
      defaultValue = "${env:PRESENCE_LEAVE_DETECTION_MILLIS:-" + ServerConfig.DEFAULT_LEAVE_DETECTION_MILLIS + "}",
      description = "Bound on detecting an unreachable peer, 100..10000; sets HTTP/2 keepalive. "
          + "Env PRESENCE_LEAVE_DETECTION_MILLIS. Default: ${DEFAULT-VALUE}.")
  int leaveDetectionMillis;

  @Option(names = "--idle-timeout-millis",
      defaultValue = "${env:PRESENCE_IDLE_TIMEOUT_MILLIS:-" + ServerConfig.DEFAULT_IDLE_TIMEOUT_MILLIS + "}",
      description = "End sessions silent this long; 0 disables. Env PRESENCE_IDLE_TIMEOUT_MILLIS. "
          + "Default: ${DEFAULT-VALUE}.")
  int idleTimeoutMillis;

  // No fallback: unset, the interval is derived from --leave-detection-millis, which ServerConfig does.
  @Option(names = "--ping-interval-millis", defaultValue = "${env:PRESENCE_PING_INTERVAL_MILLIS}",
      description = "Server pings to clients declaring CAPABILITY_PING; 0 disables; below leave-detection-millis. "
          + "Env PRESENCE_PING_INTERVAL_MILLIS. Default: half of --leave-detection-millis.")
  Integer pingIntervalMillis;

  @Option(names = "--open-timeout-millis",
      defaultValue = "${env:PRESENCE_OPEN_TIMEOUT_MILLIS:-" + ServerConfig.DEFAULT_OPEN_TIMEOUT_MILLIS + "}",
      description = "Time allowed before the open frame. Env PRESENCE_OPEN_TIMEOUT_MILLIS. Default: ${DEFAULT-VALUE}.")
  int openTimeoutMillis;

  @Option(names = "--shutdown-grace-millis",
      defaultValue = "${env:PRESENCE_SHUTDOWN_GRACE_MILLIS:-" + ServerConfig.DEFAULT_SHUTDOWN_GRACE_MILLIS + "}",
      description = "Longest graceful shutdown on SIGTERM. Env PRESENCE_SHUTDOWN_GRACE_MILLIS. "
          + "Default: ${DEFAULT-VALUE}.")
  int shutdownGraceMillis;

  @Option(names = "--drain-millis",
      defaultValue = "${env:PRESENCE_DRAIN_MILLIS:-" + ServerConfig.DEFAULT_DRAIN_MILLIS + "}",
      description = "On SIGTERM, keep serving this long while clients that can move to another server do so "
          + "(health NOT_SERVING at once), then shut down; 0 shuts down at once. Env PRESENCE_DRAIN_MILLIS. "
          + "Default: ${DEFAULT-VALUE}.")
  int drainMillis;

  @Option(names = "--accept-rate-per-core",
      defaultValue = "${env:PRESENCE_ACCEPT_RATE_PER_CORE:-" + ServerConfig.DEFAULT_ACCEPT_RATE_PER_CORE + "}",
      description = "New connections accepted per second per core, gRPC and WebSocket together; more wait in the "
          + "listen queue, so that a storm of connections leaves rooms their share of the server; 0 does not pace. "
          + "Env PRESENCE_ACCEPT_RATE_PER_CORE. Default: ${DEFAULT-VALUE}.")
  int acceptRatePerCore;

  @Option(names = "--warmup-millis",
      defaultValue = "${env:PRESENCE_WARMUP_MILLIS:-" + ServerConfig.DEFAULT_WARMUP_MILLIS + "}",
      description = "Before reporting SERVING, run a burst of presence through a private copy of the server on "
          + "loopback until delivery meets PRS-THR-3's bound (W + 25 ms), at most this long; 0 skips. "
          + "Env PRESENCE_WARMUP_MILLIS. Default: ${DEFAULT-VALUE}.")
  int warmupMillis;

  @Option(names = "--jwt-secret", defaultValue = "${env:PRESENCE_JWT_SECRET:-}",
      description = "auth=jwt: HS256 shared secret, at least 32 bytes. Prefer the env var, which stays out of "
          + "process listings. Env PRESENCE_JWT_SECRET.")
  String jwtSecret;

  @Option(names = "--jwt-public-key-file", defaultValue = "${env:PRESENCE_JWT_PUBLIC_KEY_FILE:-}",
      description = "auth=jwt: RS256 public key file (PEM). Env PRESENCE_JWT_PUBLIC_KEY_FILE.")
  String jwtPublicKeyFile;

  @Option(names = "--jwt-issuer", defaultValue = "${env:PRESENCE_JWT_ISSUER:-}",
      description = "auth=jwt: required iss claim; empty accepts any. Env PRESENCE_JWT_ISSUER.")
  String jwtIssuer;

  @Option(names = "--jwt-audience", defaultValue = "${env:PRESENCE_JWT_AUDIENCE:-}",
      description = "auth=jwt: required aud claim; empty accepts any. Env PRESENCE_JWT_AUDIENCE.")
  String jwtAudience;

  @Option(names = "--metrics-port",
      defaultValue = "${env:PRESENCE_METRICS_PORT:-" + ServerConfig.DEFAULT_METRICS_PORT + "}",
      description = "Port of the Prometheus endpoint (HTTP GET /metrics, same address as --host); 0 turns it off, "
          + "-1 picks a free one. Env PRESENCE_METRICS_PORT. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--ws-port", defaultValue = "${env:PRESENCE_WS_PORT:-" + ServerConfig.DEFAULT_WS_PORT + "}",
      description = "Port of the WebSocket binding (ws://HOST:PORT/presence.v1, wss:// with --tls-cert; also GET "
          + "/healthz and /readyz), same address as --host; 0 turns it off, -1 picks a free one. "
          + "Env PRESENCE_WS_PORT. Default: ${DEFAULT-VALUE}.")
  int wsPort;

  @Option(names = "--ws-allowed-origins", defaultValue = "${env:PRESENCE_WS_ALLOWED_ORIGINS:-}",
      description = "Origins whose pages may open WebSocket sessions: comma-separated scheme://host[:port], or * for "
          + "any. Empty allows only the server's own origin (Origin host:port equal to the Host header). "
          + "Env PRESENCE_WS_ALLOWED_ORIGINS.")
  String wsAllowedOrigins;

  @Option(names = "--tls-cert", defaultValue = "${env:PRESENCE_TLS_CERT:-}",
      description = "Serve TLS with this certificate chain (PEM); needs --tls-key. Empty serves plaintext. "
          + "Env PRESENCE_TLS_CERT.")
  String tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:PRESENCE_TLS_KEY:-}",
      description = "Private key of --tls-cert (unencrypted PKCS#8 PEM). Env PRESENCE_TLS_KEY.")
  String tlsKey;

  @Option(names = "--tls-client-ca", defaultValue = "${env:PRESENCE_TLS_CLIENT_CA:-}",
      description = "Mutual TLS: require client certificates issued by these CAs (PEM). Env PRESENCE_TLS_CLIENT_CA.")
  String tlsClientCa;

  @Option(names = "--max-connection-age-millis",
      defaultValue = "${env:PRESENCE_MAX_CONNECTION_AGE_MILLIS:-"
          + ServerConfig.DEFAULT_MAX_CONNECTION_AGE_MILLIS + "}",
      description = "Send GOAWAY to connections older than this (plus up to 10%% jitter), e.g. to rebalance behind a "
          + "load balancer; 0 = never, else at least 1000. Sessions on the connection end when the grace runs out, "
          + "and clients reconnect. Env PRESENCE_MAX_CONNECTION_AGE_MILLIS. Default: ${DEFAULT-VALUE}.")
  int maxConnectionAgeMillis;

  @Option(names = "--max-connection-age-grace-millis",
      defaultValue = "${env:PRESENCE_MAX_CONNECTION_AGE_GRACE_MILLIS:-"
          + ServerConfig.DEFAULT_MAX_CONNECTION_AGE_GRACE_MILLIS + "}",
      description = "How long calls may continue after the GOAWAY of --max-connection-age-millis before the "
          + "connection is closed. Env PRESENCE_MAX_CONNECTION_AGE_GRACE_MILLIS. Default: ${DEFAULT-VALUE}.")
  int maxConnectionAgeGraceMillis;

  @Option(names = "--demo", defaultValue = "${env:PRESENCE_DEMO:-" + ServerConfig.DEFAULT_DEMO + "}",
      description = "Serve the live-cursors web demo on the WebSocket port: open http://HOST:WS-PORT/ in two tabs. "
          + "Turns the WebSocket port on at " + ServerConfig.DEFAULT_WS_PORT + " if --ws-port is 0. Env PRESENCE_DEMO. "
          + "Default: ${DEFAULT-VALUE}.")
  boolean demo;

  @Option(names = "--cluster", defaultValue = "${env:PRESENCE_CLUSTER:-}", split = ",",
      description = "Join a cluster of nodes on Redis: one redis:// or rediss:// address (redis://HOST:6379), or "
          + "comma-separated seeds of a Redis Cluster. Empty: a single node with no external service. "
          + "Env PRESENCE_CLUSTER.")
  List<String> cluster;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Runs the server until the process is asked to stop.
   *
   * @param args command line
   */
  public static void main(String[] args) {
    CliLogging.configure();
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  ServerConfig config() {
    ServerConfig.Builder config = ServerConfig.builder()
        .host(host)
        .port(port)
        .authMode(auth)
        .throttleWindowMillis(throttleWindowMillis)
        .maxStateBytes(maxStateBytes)
        .maxSubscriptions(maxSubscriptions)
        .maxFollows(maxFollows)
        .maxInboundFrameBytes(maxInboundFrameBytes)
        .maxStateDepth(maxStateDepth)
        .maxOutboundFrameBytes(maxOutboundFrameBytes)
        .maxSessionsPerUser(maxSessionsPerUser)
        .maxSessionsPerRoom(maxSessionsPerRoom)
        .maxSessionsTotal(maxSessionsTotal)
        .leaveDetectionMillis(leaveDetectionMillis)
        .idleTimeoutMillis(idleTimeoutMillis)
        .openTimeoutMillis(openTimeoutMillis)
        .shutdownGraceMillis(shutdownGraceMillis)
        .drainMillis(drainMillis)
        .warmupMillis(warmupMillis)
        .acceptRatePerCore(acceptRatePerCore)
        .jwtSecret(jwtSecret)
        .jwtPublicKeyFile(jwtPublicKeyFile)
        .jwtIssuer(jwtIssuer)
        .jwtAudience(jwtAudience)
        .metricsPort(metricsPort)
        .wsPort(wsPort)
        .wsAllowedOrigins(AllowedOrigins.parse(wsAllowedOrigins))
        .tlsCertFile(tlsCert)
        .tlsKeyFile(tlsKey)
        .tlsClientCaFile(tlsClientCa)
        .maxConnectionAgeMillis(maxConnectionAgeMillis)
        .maxConnectionAgeGraceMillis(maxConnectionAgeGraceMillis)
        .demo(demo)
        .cluster(cluster == null ? List.of() : cluster.stream().filter(c -> !c.isBlank()).toList());
    if (pingIntervalMillis != null) {
      config.pingIntervalMillis(pingIntervalMillis);
    }
    return config.build();
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    ServerConfig config;
    PresenceServer server;
    try {
      config = config();
      server = PresenceServer.builder(config).build();
    } catch (ConfigException e) {
      err.println("presence-server: invalid configuration: " + new FlagNames(spec).rewrite(e.getMessage()));
      err.flush();
      return EXIT_BAD_CONFIG;
    }
    try {
      server.start();
    } catch (IOException e) {
      err.println("presence-server: cannot listen: " + e.getMessage());
      err.flush();
      return EXIT_START_FAILED;
    }
    out.println("presence-server listening on " + (config.host().isEmpty() ? "*" : config.host()) + ":"
        + server.port() + (config.tlsEnabled() ? (config.tlsClientCaFile().isEmpty() ? " tls" : " mtls") : " plaintext")
        + " websocket=" + (server.wsPort() == 0 ? "off"
            : (config.tlsEnabled() ? "wss" : "ws") + "://:" + server.wsPort() + "/presence.v1")
        + (config.demo() ? " demo=" + (config.tlsEnabled() ? "https" : "http") + "://:" + server.wsPort() + "/" : "")
        + " metrics=" + (server.metricsPort() == 0 ? "off" : ":" + server.metricsPort() + "/metrics")
        + " auth=" + server.authModeName()
        + (server.authModeName().equals("none") ? " (INSECURE development mode: clients choose their user id"
            + (config.loopbackByDefault() ? "; loopback only, see --host" : "") + ")" : ""));
    if (config.demo()) {
      out.println("presence-server demo: open " + (config.tlsEnabled() ? "https" : "http") + "://"
          + (config.host().isEmpty() ? "localhost" : config.host()) + ":" + server.wsPort() + "/ in two browser tabs");
    }
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      boolean clean = false;
      try {
        server.drainAndShutdown(Duration.ofMillis(config.drainMillis()),
            Duration.ofMillis(config.shutdownGraceMillis()));
        // Clean means every session ended within the grace period. Other calls, such as a load balancer's
        // health watch, never end on their own and are cut at the grace bound without making the stop unclean.
        clean = server.sessionCount() == 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stopped.countDown();
      }
      if (clean) {
        // A stop that went as asked is a success; left alone, the JVM would exit with 128 + the signal's
        // number, which orchestrators and scripts read as a failure.
        out.flush();
        err.flush();
        Runtime.getRuntime().halt(0);
      }
    }, "presence-shutdown"));
    stopped.await();
    return 0;
  }
}
