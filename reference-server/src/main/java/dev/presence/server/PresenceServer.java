package dev.presence.server;

import dev.presence.server.auth.Authenticator;
import dev.presence.server.auth.JwtAuthenticator;
import dev.presence.server.cluster.RedisCluster;
import dev.presence.server.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import dev.presence.server.auth.NoneAuthenticator;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.KeyValues;
import dev.presence.server.internal.SystemTime;
import dev.presence.server.ops.MetricsEndpoint;
import dev.presence.server.ops.OpsServices;
import dev.presence.server.ops.PrometheusMetrics;
import dev.presence.server.room.Room;
import dev.presence.server.room.RoomContext;
import dev.presence.server.room.RoomRegistry;
import dev.presence.server.transport.EventLoops;
import dev.presence.server.warmup.Warmup;
import dev.presence.server.transport.Transports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node presence.v1 server: one {@code PresenceService/Connect} endpoint plus health and
 * reflection, listening on one port (plaintext or TLS); optionally the WebSocket binding with its health
 * endpoints on another ({@link ServerConfig#wsPort()}); and optionally Prometheus metrics over HTTP on a third
 * ({@link ServerConfig#metricsPort()}). Sessions of both bindings share the rooms.
 *
 * <pre>{@code
 * PresenceServer server = PresenceServer.builder(ServerConfig.builder().port(0)
 *     .wsPort(ServerConfig.ANY_FREE_PORT).build()).build().start();
 * int port = server.port();
 * int wsPort = server.wsPort();
 * ...
 * server.shutdown(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>It logs through SLF4J and leaves logging to the embedding application: it brings no logging backend and
 * changes no global state such as java.util.logging's handlers, through which grpc-java logs. {@link Main} sets
 * up logging for the command line's own process.
 */
public final class PresenceServer {
  private static final Logger log = LoggerFactory.getLogger(PresenceServer.class);

  private final ServerConfig config;
  private final Authenticator authenticator;
  private final SystemTime time;
  private final EventLoops eventLoops;
  private final RoomRegistry registry;
  private final RedisCluster cluster;
  private final OpsServices ops = new OpsServices();
  private final Transports transport;
  private final PrometheusMetrics metrics = new PrometheusMetrics();
  private MetricsEndpoint metricsEndpoint;
  private final Object lifecycle = new Object();
  private boolean started;
  private boolean stopped;
  private boolean draining;

  private PresenceServer(Builder b) {
    config = b.config;
    authenticator = b.authenticator != null ? b.authenticator : defaultAuthenticator(config);
    eventLoops = EventLoops.perCore();
    time = new SystemTime(eventLoops::current);
    cluster = config.cluster().isEmpty() ? null : RedisCluster.connect(config.cluster(), config);
    registry = new RoomRegistry(new RoomContext(config, time, time, eventLoops::next, metrics, cluster));
    metrics.gauge("presence.sessions", "Sessions opening or open", registry::sessionCount);
    metrics.gauge("presence.rooms", "Rooms with at least one session", registry::roomCount);
    try {
      transport = new Transports(config, authenticator, registry, time, time, ops.services(), ops::readiness,
          metrics, eventLoops);
    } catch (ConfigException e) {
      eventLoops.close();
      if (cluster != null) {
        cluster.close();
      }
      throw e;
    }
  }

  private static Authenticator defaultAuthenticator(ServerConfig config) {
    switch (config.authMode()) {
      case NONE:
        return new NoneAuthenticator();
      case JWT:
        if (!config.jwtSecret().isEmpty()) {
          return JwtAuthenticator.hs256(config.jwtSecret(), config.jwtIssuer(), config.jwtAudience());
        }
        try {
          String pem = Files.readString(Path.of(config.jwtPublicKeyFile()));
          return JwtAuthenticator.rs256(pem, config.jwtIssuer(), config.jwtAudience());
        } catch (IOException | GeneralSecurityException e) {
          throw new ConfigException("jwtPublicKeyFile cannot be read as an RSA public key in PEM: "
              + e.getClass().getSimpleName());
        }
      default:
        throw new ConfigException("unsupported auth mode " + config.authMode());
    }
  }

  /**
   * @param config validated settings
   * @return a builder
   */
  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /**
   * Binds the port and starts accepting sessions.
   *
   * @return this server
   * @throws IOException when the port cannot be bound
   */
  public PresenceServer start() throws IOException {
    synchronized (lifecycle) {
      if (started) {
        throw new IllegalStateException("already started");
      }
      started = true;
    }
    transport.start();
    if (config.metricsPort() != 0) {
      try {
        int port = config.metricsPort() == ServerConfig.ANY_FREE_PORT ? 0 : config.metricsPort();
        metricsEndpoint = MetricsEndpoint.start(config.host(), port, metrics::scrape);
      } catch (IOException e) {
        transport.shutdown();
        try {
          transport.awaitTermination(0);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
        throw new IOException("metrics port " + config.metricsPort() + ": " + e.getMessage(), e);
      }
    }
    warnAboutExposure();
    if (config.warmupMillis() > 0) {
      warmUp();
    }
    ops.serving();
    log.info("event=server_started {}", startupFields());
    return this;
  }

  /** The settings with what they turned into once running, each key once so the line parses unambiguously. */
  private String startupFields() {
    Map<String, String> fields = new LinkedHashMap<>(config.logFields());
    // Where to connect, not what was asked: 0 and ANY_FREE_PORT name no port.
    fields.put("port", String.valueOf(port()));
    fields.put("wsPort", wsPort() == 0 ? "off" : String.valueOf(wsPort()));
    fields.put("metricsPort", metricsPort() == 0 ? "off" : String.valueOf(metricsPort()));
    // An authenticator handed to the builder decides, whatever mode the settings name.
    fields.put("auth", authenticator.modeName());
    return KeyValues.join(fields);
  }

  /** Serving turns on after the warm-up either way: a slow first burst is better than no server. */
  private void warmUp() {
    try {
      Warmup.Result r = Warmup.run(config, eventLoops, time, config.warmupMillis());
      if (r.warm()) {
        log.info("event=warmed_up millis={} p99_ms={} bound_ms={}", r.millis(), round(r.lastP99Millis()),
            round(r.boundMillis()));
      } else {
        log.warn("event=warmup_incomplete millis={} p99_ms={} bound_ms={} message=\"the fan-out did not meet the "
            + "delivery bound within --warmup-millis; serving anyway\"", r.millis(), round(r.lastP99Millis()),
            round(r.boundMillis()));
      }
    } catch (IOException e) {
      log.warn("event=warmup_failed message=\"{}\"", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double round(double millis) {
    return Math.round(millis * 10) / 10.0;
  }

  /** One WARN line on who can reach a server whose identities are claimed. */
  private void warnAboutExposure() {
    if (config.loopbackByDefault()) {
      log.warn("event=insecure_auth auth={} host={} message=\"INSECURE: any client can claim any user id, so every "
          + "port listens on loopback only; to serve other machines, give --host 0.0.0.0 (PRESENCE_HOST) with "
          + "--auth jwt\"", authenticator.modeName(), config.host());
    } else if (authenticator.insecure()) {
      boolean reachable = !isLoopback(config.host());
      log.warn("event=insecure_auth auth={} host={} message=\"INSECURE: any client {}can claim any user id; "
          + "development use only\"", authenticator.modeName(), config.host().isEmpty() ? "*" : config.host(),
          reachable ? "on any machine that reaches this address " : "");
    }
  }

  private static boolean isLoopback(String host) {
    if (host.isEmpty()) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      // It was bound a moment ago, so this is a resolver hiccup; assume the worse.
      return false;
    }
  }

  /** @return the bound gRPC port; useful with port 0 */
  public int port() {
    return transport.grpcPort();
  }

  /** @return the bound WebSocket port, or 0 when the binding is off */
  public int wsPort() {
    return transport.wsPort();
  }

  /** @return the authentication mode's name, e.g. {@code none} */
  public String authModeName() {
    return authenticator.modeName();
  }

  /** @return the number of live rooms; an empty room is removed at once */
  public int roomCount() {
    return registry.roomCount();
  }

  /** @return the number of sessions opening or open */
  public int sessionCount() {
    return registry.sessionCount();
  }

  /** @return the port of the Prometheus endpoint, or 0 when it is off */
  public int metricsPort() {
    return metricsEndpoint == null ? 0 : metricsEndpoint.port();
  }

  /**
   * @return the local address of every port listening now: gRPC, then the WebSocket port and the metrics port
   *     when they are on
   */
  public List<InetSocketAddress> listenAddresses() {
    List<InetSocketAddress> addresses = new ArrayList<>(transport.addresses());
    if (metricsEndpoint != null) {
      addresses.add(metricsEndpoint.address());
    }
    return List.copyOf(addresses);
  }

  /** @return the Prometheus exposition the metrics endpoint serves */
  public String scrapeMetrics() {
    return metrics.scrape();
  }

  /**
   * An operator's view of fan-out memory: the most pending live events any subscriber's outbox has held
   * at once, over the rooms live now. PRS-THR-9 bounds it by the number of users in a room. Each room
   * answers on its own executor; a room that does not answer within the timeout is skipped.
   *
   * @param timeout the longest wait per room
   * @return the high-water mark, 0 without rooms
   * @throws InterruptedException if interrupted while waiting
   */
  public int pendingHighWater(Duration timeout) throws InterruptedException {
    int max = 0;
    for (Room room : registry.rooms()) {
      java.util.concurrent.CompletableFuture<Integer> answer = new java.util.concurrent.CompletableFuture<>();
      room.executor().execute(() -> answer.complete(room.pendingHighWater()));
      try {
        max = Math.max(max, answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        log.warn("event=room_unresponsive room={}", room.id());
      }
    }
    return max;
  }

  /**
   * Drains, then shuts down (SPEC.md §13.2): health turns NOT_SERVING at once so load balancers route new
   * connections elsewhere; new sessions are still accepted; every session that declared CAPABILITY_DRAIN is sent
   * {@code draining} with the time left, so its client can move to another server make-before-break; when the
   * window ends, or sooner once no session is left, the server shuts down as {@link #shutdown(Duration)} does.
   * Blocks for the whole drain. A call while another drain runs, or after a shutdown began, shuts down at once as
   * {@link #shutdown(Duration)} does.
   *
   * @param window the drain window; zero shuts down at once
   * @param grace the longest the shutdown after the window may take
   * @return whether the shutdown ended everything within its grace period
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean drainAndShutdown(Duration window, Duration grace) throws InterruptedException {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(grace, "grace");
    synchronized (lifecycle) {
      if (!started || stopped || draining) {
        return shutdown(grace);
      }
      draining = true;
    }
    long end = System.nanoTime() + window.toNanos();
    log.info("event=server_draining drain_millis={}", window.toMillis());
    ops.shuttingDown();
    registry.beginDrain(window.toMillis());
    for (Room room : registry.rooms()) {
      room.executor().execute(room::drain);
    }
    // Sessions end on their clients' initiative; checking now and then costs nothing and lets a node whose
    // clients all moved stop before the deadline.
    while (registry.sessionCount() > 0) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
    }
    return shutdown(grace);
  }

  /**
   * Shuts down gracefully (PRS-END-5): health turns NOT_SERVING, new sessions are refused with
   * SHUTTING_DOWN, every live session ends with UNAVAILABLE after the sessions still open received its
   * departure, and whatever is left when the grace period runs out is cut. Idempotent.
   *
   * @param grace the longest the shutdown may take
   * @return whether everything ended within the grace period
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    Objects.requireNonNull(grace, "grace");
    synchronized (lifecycle) {
      if (stopped || !started) {
        stopped = true;
        return true;
      }
      stopped = true;
    }
    long deadline = System.nanoTime() + grace.toNanos();
    log.info("event=server_stopping grace_millis={}", grace.toMillis());
    ops.shuttingDown();
    registry.beginShutdown();
    transport.shutdown();
    for (Room room : registry.rooms()) {
      room.executor().execute(room::shutdown);
    }
    long remainingMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    boolean clean = transport.awaitTermination(remainingMillis);
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    eventLoops.close();
    log.info("event=server_stopped clean={}", clean);
    return clean;
  }

  /** Builds a {@link PresenceServer}. */
  public static final class Builder {
    private final ServerConfig config;
    private Authenticator authenticator;

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Replaces the authenticator the configured auth mode would select, e.g. to plug in a company's
     * token verification.
     *
     * @param value the authenticator
     * @return this builder
     */
    public Builder authenticator(Authenticator value) {
      authenticator = Objects.requireNonNull(value, "authenticator");
      return this;
    }

    /**
     * @return the server, not yet started
     * @throws ConfigException when the configured credentials material cannot be loaded
     */
    public PresenceServer build() {
      return new PresenceServer(this);
    }
  }
}
