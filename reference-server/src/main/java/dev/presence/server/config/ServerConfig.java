package dev.presence.server.config;

/**
 * Immutable server settings. Every limit here is advertised to clients in {@code Opened.limits}
 * (PRS-LIM-1); {@link Builder#build()} checks the bounds of PRS-LIM-2 once, so the rest of the server
 * can trust the values.
 */
public final class ServerConfig {
  /** Port 0 asks the operating system for a free port. */
  public static final int DEFAULT_PORT = 50051;
  /**
   * The address every port binds when the identities are claimed ({@link AuthMode#NONE}) and no host is given:
   * such a server must not be reachable from other machines by accident. IPv4 loopback alone, one rule for all
   * three ports: it exists on every host, including containers without IPv6 where binding {@code ::1} fails, and
   * clients that resolve {@code localhost} to {@code ::1} first still reach it (gRPC tries every resolved address;
   * browsers and Node.js race both families).
   */
  public static final String LOOPBACK_HOST = "127.0.0.1";
  /** The Prometheus endpoint's default port, the one OpenTelemetry's Prometheus exporter also uses. */
  public static final int DEFAULT_METRICS_PORT = 9464;
  /** The WebSocket binding's default port on the command line. */
  public static final int DEFAULT_WS_PORT = 8080;
  /**
   * For the ports of the optional endpoints (metrics, WebSocket), where 0 turns the endpoint off: let the
   * operating system pick a free port, which the server then reports.
   */
  public static final int ANY_FREE_PORT = -1;
  /** Whether the WebSocket port serves the web demo unless asked to; the command line takes its default from here. */
  public static final boolean DEFAULT_DEMO = false;
  /** PRS-WS-17: a WebSocket connection must complete its opening handshake within this long. */
  public static final int MAX_WS_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
  /**
   * {@code opened} lists every member, each at most 521 bytes with a 256-byte id and name (PRS-IDN-5,
   * PRS-IDN-9); this many members plus the rest of {@code opened} stay within 4194304 bytes (PRS-TRN-7).
   */
  public static final int MAX_SESSIONS_PER_ROOM = 8000;
  /** The authentication mode unless asked, by name as the command line takes it: development mode. */
  public static final String DEFAULT_AUTH_MODE = "none";
  /** The default of {@code Limits.throttle_window_millis} (PRS-LIM-2). */
  public static final int DEFAULT_THROTTLE_WINDOW_MILLIS = 50;
  /** The default of {@code Limits.max_state_bytes} (PRS-LIM-2). */
  public static final int DEFAULT_MAX_STATE_BYTES = 8192;
  /** The default of {@code Limits.max_subscriptions} (PRS-LIM-2). */
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 16;
  /** The default of {@code Limits.max_follows} (PRS-LIM-2). */
  public static final int DEFAULT_MAX_FOLLOWS = 256;
  /** The default of {@code Limits.max_inbound_frame_bytes} (PRS-LIM-2). */
  public static final int DEFAULT_MAX_INBOUND_FRAME_BYTES = 65_536;
  /** The default of {@code Limits.max_sessions_per_user} (PRS-LIM-2). */
  public static final int DEFAULT_MAX_SESSIONS_PER_USER = 16;
  /** The default of {@code Limits.max_sessions_per_room}. */
  public static final int DEFAULT_MAX_SESSIONS_PER_ROOM = 1000;
  /** The default bound on the sessions of this server. */
  public static final int DEFAULT_MAX_SESSIONS_TOTAL = 100_000;
  /** The default of {@code Limits.leave_detection_millis} (PRS-LIM-2), also its largest allowed value. */
  public static final int DEFAULT_LEAVE_DETECTION_MILLIS = 10_000;
  /** The default of {@code Limits.idle_timeout_millis}: sessions are never ended for silence alone. */
  public static final int DEFAULT_IDLE_TIMEOUT_MILLIS = 0;
  /** The default time a call may stay without an {@code open} frame (PRS-OPN-7). */
  public static final int DEFAULT_OPEN_TIMEOUT_MILLIS = 10_000;
  /** The default bound on a graceful shutdown. */
  public static final int DEFAULT_SHUTDOWN_GRACE_MILLIS = 5_000;
  /** The default connection age before GOAWAY: never. */
  public static final int DEFAULT_MAX_CONNECTION_AGE_MILLIS = 0;
  /** The default time calls may outlive the maximum connection age. */
  public static final int DEFAULT_MAX_CONNECTION_AGE_GRACE_MILLIS = 5_000;
  /** The default of {@code Limits.max_state_depth} (PRS-LIM-4). */
  public static final int DEFAULT_MAX_STATE_DEPTH = 32;
  /** The default of {@code Limits.max_outbound_frame_bytes} (PRS-LIM-4). */
  public static final int DEFAULT_MAX_OUTBOUND_FRAME_BYTES = 262_144;
  /**
   * Default drain window on SIGTERM (SPEC.md §13.2): long enough for clients to open a session elsewhere and leave
   * this one, short against the usual 30 s an orchestrator waits before it kills the process.
   */
  public static final int DEFAULT_DRAIN_MILLIS = 5_000;
  /**
   * The command line's longest warm-up before SERVING. A warm-up ends as soon as the fan-out meets PRS-THR-3's
   * bound, in one to a few seconds on a small machine; this only caps a machine too slow to get there.
   */
  public static final int DEFAULT_WARMUP_MILLIS = 10_000;
  /**
   * Default pace of new connections, per core the server may run on. Opening and closing a session costs about a
   * millisecond of a core, a thousand deliveries' worth; at this pace a storm of connections takes at most about
   * half of each core and the rooms keep the rest (PRS-OVL-3). Connections beyond it wait in the listen queue.
   */
  public static final int DEFAULT_ACCEPT_RATE_PER_CORE = 400;
  /** The smallest max_state_depth a server may advertise (PRS-LIM-4). */
  static final int MIN_MAX_STATE_DEPTH = 8;
  /**
   * The deepest max_state_depth a server may advertise (PRS-LIM-4): a state this deep still parses inside a
   * ConnectResponse under protobuf's default recursion limit of 100, so no client has to raise it.
   */
  static final int MAX_MAX_STATE_DEPTH = 32;
  /** Every client accepts frames this large (PRS-TRN-8), so no server may advertise more (PRS-LIM-4). */
  static final int MAX_OUTBOUND_FRAME_BYTES_CEILING = 4_194_304;

  /**
   * The ping interval when none is given: half of the leave detection bound. PRS-LIV-6 lets a server end a session
   * for an unanswered ping only {@code leave_detection_millis - ping_interval_millis} after sending it, so an
   * interval plus that deadline always spans the bound; half splits it evenly, as the connection probes
   * (PRS-WS-13) and clients (PRS-LIV-9) do, and gives the spec's default pair of 10000 and 5000.
   *
   * @param leaveDetectionMillis the bound on detecting an unreachable peer
   * @return the ping interval derived from it
   */
  public static int defaultPingIntervalMillis(int leaveDetectionMillis) {
    return leaveDetectionMillis / 2;
  }

  private final String host;
  private final boolean loopbackByDefault;
  private final int port;
  private final AuthMode authMode;
  private final int throttleWindowMillis;
  private final int maxStateBytes;
  private final int maxSubscriptions;
  private final int maxFollows;
  private final int maxInboundFrameBytes;
  private final int maxStateDepth;
  private final int maxOutboundFrameBytes;
  private final int maxSessionsPerUser;
  private final int maxSessionsPerRoom;
  private final int maxSessionsTotal;
  private final int leaveDetectionMillis;
  private final int idleTimeoutMillis;
  private final int pingIntervalMillis;
  private final boolean pingIntervalDerived;
  private final int openTimeoutMillis;
  private final int shutdownGraceMillis;
  private final int drainMillis;
  private final int warmupMillis;
  private final int acceptRatePerCore;
  private final String jwtSecret;
  private final String jwtPublicKeyFile;
  private final String jwtIssuer;
  private final String jwtAudience;
  private final int metricsPort;
  private final int wsPort;
  private final AllowedOrigins wsAllowedOrigins;
  private final int wsHandshakeTimeoutMillis;
  private final String tlsCertFile;
  private final String tlsKeyFile;
  private final String tlsClientCaFile;
  private final int maxConnectionAgeMillis;
  private final int maxConnectionAgeGraceMillis;
  private final boolean demo;
  private final java.util.List<String> cluster;

  private ServerConfig(Builder b) {
    loopbackByDefault = b.host.isEmpty() && b.authMode == AuthMode.NONE;
    host = loopbackByDefault ? LOOPBACK_HOST : b.host;
    port = b.port;
    authMode = b.authMode;
    throttleWindowMillis = b.throttleWindowMillis;
    maxStateBytes = b.maxStateBytes;
    maxSubscriptions = b.maxSubscriptions;
    maxFollows = b.maxFollows;
    maxInboundFrameBytes = b.maxInboundFrameBytes;
    maxStateDepth = b.maxStateDepth;
    maxOutboundFrameBytes = b.maxOutboundFrameBytes;
    maxSessionsPerUser = b.maxSessionsPerUser;
    maxSessionsPerRoom = b.maxSessionsPerRoom;
    maxSessionsTotal = b.maxSessionsTotal;
    leaveDetectionMillis = b.leaveDetectionMillis;
    idleTimeoutMillis = b.idleTimeoutMillis;
    pingIntervalDerived = b.pingIntervalMillis.isEmpty();
    pingIntervalMillis = b.pingIntervalMillis.orElse(defaultPingIntervalMillis(b.leaveDetectionMillis));
    openTimeoutMillis = b.openTimeoutMillis;
    shutdownGraceMillis = b.shutdownGraceMillis;
    drainMillis = b.drainMillis;
    warmupMillis = b.warmupMillis;
    acceptRatePerCore = b.acceptRatePerCore;
    jwtSecret = b.jwtSecret;
    jwtPublicKeyFile = b.jwtPublicKeyFile;
    jwtIssuer = b.jwtIssuer;
    jwtAudience = b.jwtAudience;
    metricsPort = b.metricsPort;
    wsPort = b.wsPort;
    wsAllowedOrigins = b.wsAllowedOrigins;
    wsHandshakeTimeoutMillis = b.wsHandshakeTimeoutMillis;
    tlsCertFile = b.tlsCertFile;
    tlsKeyFile = b.tlsKeyFile;
    tlsClientCaFile = b.tlsClientCaFile;
    maxConnectionAgeMillis = b.maxConnectionAgeMillis;
    maxConnectionAgeGraceMillis = b.maxConnectionAgeGraceMillis;
    demo = b.demo;
    cluster = b.cluster;
  }

  /** @return a builder holding the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding this configuration's values */
  public Builder toBuilder() {
    Builder b = new Builder();
    // The loopback default follows the auth mode, so a copy switched to another mode must not inherit it.
    b.host = loopbackByDefault ? "" : host;
    b.port = port;
    b.authMode = authMode;
    b.throttleWindowMillis = throttleWindowMillis;
    b.maxStateBytes = maxStateBytes;
    b.maxSubscriptions = maxSubscriptions;
    b.maxFollows = maxFollows;
    b.maxInboundFrameBytes = maxInboundFrameBytes;
    b.maxStateDepth = maxStateDepth;
    b.maxOutboundFrameBytes = maxOutboundFrameBytes;
    b.maxSessionsPerUser = maxSessionsPerUser;
    b.maxSessionsPerRoom = maxSessionsPerRoom;
    b.maxSessionsTotal = maxSessionsTotal;
    b.leaveDetectionMillis = leaveDetectionMillis;
    b.idleTimeoutMillis = idleTimeoutMillis;
    // A derived interval stays derived, so a copy given another leave detection bound follows it.
    b.pingIntervalMillis =
        pingIntervalDerived ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(pingIntervalMillis);
    b.openTimeoutMillis = openTimeoutMillis;
    b.shutdownGraceMillis = shutdownGraceMillis;
    b.drainMillis = drainMillis;
    b.warmupMillis = warmupMillis;
    b.acceptRatePerCore = acceptRatePerCore;
    b.jwtSecret = jwtSecret;
    b.jwtPublicKeyFile = jwtPublicKeyFile;
    b.jwtIssuer = jwtIssuer;
    b.jwtAudience = jwtAudience;
    b.metricsPort = metricsPort;
    b.wsPort = wsPort;
    b.wsAllowedOrigins = wsAllowedOrigins;
    b.wsHandshakeTimeoutMillis = wsHandshakeTimeoutMillis;
    b.tlsCertFile = tlsCertFile;
    b.tlsKeyFile = tlsKeyFile;
    b.tlsClientCaFile = tlsClientCaFile;
    b.maxConnectionAgeMillis = maxConnectionAgeMillis;
    b.maxConnectionAgeGraceMillis = maxConnectionAgeGraceMillis;
    b.demo = demo;
    b.cluster = cluster;
    return b;
  }

  /**
   * @return the address every port binds; empty means every interface. Without a host given, that is
   *     {@link #LOOPBACK_HOST} under {@link AuthMode#NONE} and every interface otherwise.
   */
  public String host() {
    return host;
  }

  /** @return whether {@link #host()} is loopback because no host was given and the identities are claimed */
  public boolean loopbackByDefault() {
    return loopbackByDefault;
  }

  /** @return the TCP port; 0 picks a free one */
  public int port() {
    return port;
  }

  /** @return how sessions are authenticated */
  public AuthMode authMode() {
    return authMode;
  }

  /** @return the throttle window W (PRS-THR-*) */
  public int throttleWindowMillis() {
    return throttleWindowMillis;
  }

  /** @return the largest accepted state encoding (PRS-STA-3) */
  public int maxStateBytes() {
    return maxStateBytes;
  }

  /** @return the most subscriptions per session (PRS-SUB-9) */
  public int maxSubscriptions() {
    return maxSubscriptions;
  }

  /** @return the largest follow set per session (PRS-FOL-5) */
  public int maxFollows() {
    return maxFollows;
  }

  /** @return the largest accepted inbound frame (PRS-TRN-6) */
  public int maxInboundFrameBytes() {
    return maxInboundFrameBytes;
  }

  /** @return the deepest accepted state, counting Struct and ListValue levels (PRS-STA-7) */
  public int maxStateDepth() {
    return maxStateDepth;
  }

  /** @return the bound on the encoding of every frame sent after {@code opened} (PRS-TRN-7) */
  public int maxOutboundFrameBytes() {
    return maxOutboundFrameBytes;
  }

  /** @return the most live sessions of one user in one room (PRS-SES-1) */
  public int maxSessionsPerUser() {
    return maxSessionsPerUser;
  }

  /** @return the most live sessions in one room (PRS-LIM-3) */
  public int maxSessionsPerRoom() {
    return maxSessionsPerRoom;
  }

  /** @return the most live sessions on this server (PRS-LIM-3) */
  public int maxSessionsTotal() {
    return maxSessionsTotal;
  }

  /** @return the bound on detecting an unreachable peer (PRS-LIV-1) */
  public int leaveDetectionMillis() {
    return leaveDetectionMillis;
  }

  /** @return the idle timeout; 0 disables it (PRS-LIV-2) */
  public int idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  /**
   * @return the interval of server pings to capable clients; 0 disables them (PRS-LIV-4). Unless set, it is
   *     {@link #defaultPingIntervalMillis(int)} of {@link #leaveDetectionMillis()}.
   */
  public int pingIntervalMillis() {
    return pingIntervalMillis;
  }

  /** @return how long a call may stay without an {@code open} frame (PRS-OPN-7) */
  public int openTimeoutMillis() {
    return openTimeoutMillis;
  }

  /** @return how long a graceful shutdown may take before calls are cut */
  public int shutdownGraceMillis() {
    return shutdownGraceMillis;
  }

  /** @return the drain window before a shutdown on SIGTERM (SPEC.md §13.2); 0 shuts down at once */
  public int drainMillis() {
    return drainMillis;
  }

  /** @return new connections accepted per second per core, gRPC and WebSocket together; 0 does not pace them */
  public int acceptRatePerCore() {
    return acceptRatePerCore;
  }

  /** @return the longest warm-up before the server reports SERVING; 0 reports SERVING at once */
  public int warmupMillis() {
    return warmupMillis;
  }

  /** @return the HS256 shared secret (JWT mode), or empty */
  public String jwtSecret() {
    return jwtSecret;
  }

  /** @return the file holding the RS256 public key in PEM (JWT mode), or empty */
  public String jwtPublicKeyFile() {
    return jwtPublicKeyFile;
  }

  /** @return the required {@code iss} claim, or empty for any */
  public String jwtIssuer() {
    return jwtIssuer;
  }

  /** @return the required {@code aud} claim, or empty for any */
  public String jwtAudience() {
    return jwtAudience;
  }

  /** @return the port of the Prometheus endpoint; 0 turns it off, {@link #ANY_FREE_PORT} picks one */
  public int metricsPort() {
    return metricsPort;
  }

  /** @return the port of the WebSocket binding (§2.2); 0 turns it off, {@link #ANY_FREE_PORT} picks one */
  public int wsPort() {
    return wsPort;
  }

  /** @return whether the server serves the WebSocket binding */
  public boolean wsEnabled() {
    return wsPort != 0;
  }

  /** @return the page origins allowed to open WebSocket sessions (PRS-WS-8) */
  public AllowedOrigins wsAllowedOrigins() {
    return wsAllowedOrigins;
  }

  /** @return how long a WebSocket connection may take to complete its opening handshake (PRS-WS-17) */
  public int wsHandshakeTimeoutMillis() {
    return wsHandshakeTimeoutMillis;
  }

  /** @return the server certificate chain file (PEM), or empty for plaintext */
  public String tlsCertFile() {
    return tlsCertFile;
  }

  /** @return the server private key file (PKCS#8 PEM), or empty for plaintext */
  public String tlsKeyFile() {
    return tlsKeyFile;
  }

  /** @return CA certificates (PEM) that client certificates must chain to, or empty to not ask for them */
  public String tlsClientCaFile() {
    return tlsClientCaFile;
  }

  /** @return whether the gRPC port, and the WebSocket port when on, speak TLS */
  public boolean tlsEnabled() {
    return !tlsCertFile.isEmpty();
  }

  /** @return the age after which a connection is asked to go away; 0 means never */
  public int maxConnectionAgeMillis() {
    return maxConnectionAgeMillis;
  }

  /** @return how long calls may continue on a connection past its maximum age before it is closed */
  public int maxConnectionAgeGraceMillis() {
    return maxConnectionAgeGraceMillis;
  }

  /**
   * @return the Redis addresses of the cluster this node joins: one {@code redis://} or {@code rediss://}
   *     address, or the seeds of a Redis Cluster; empty for a single node with no external service
   */
  public java.util.List<String> cluster() {
    return cluster;
  }

  /** @return whether the WebSocket port serves the live-cursors web demo at {@code /} */
  public boolean demo() {
    return demo;
  }

  /**
   * The settings as log fields, in a fixed order, each key once. Secrets stay out; so do file paths, and the
   * cluster's Redis addresses, which may carry a password, appear only as a count.
   *
   * @return an unmodifiable map from setting name to its value as text
   */
  public java.util.Map<String, String> logFields() {
    java.util.Map<String, String> f = new java.util.LinkedHashMap<>();
    f.put("host", host.isEmpty() ? "*" : host);
    if (loopbackByDefault) {
      f.put("hostDefault", "loopback");
    }
    f.put("port", String.valueOf(port));
    f.put("auth", authMode.name().toLowerCase(java.util.Locale.ROOT));
    f.put("throttleWindowMillis", String.valueOf(throttleWindowMillis));
    f.put("maxStateBytes", String.valueOf(maxStateBytes));
    f.put("maxSubscriptions", String.valueOf(maxSubscriptions));
    f.put("maxFollows", String.valueOf(maxFollows));
    f.put("maxInboundFrameBytes", String.valueOf(maxInboundFrameBytes));
    f.put("maxStateDepth", String.valueOf(maxStateDepth));
    f.put("maxOutboundFrameBytes", String.valueOf(maxOutboundFrameBytes));
    f.put("maxSessionsPerUser", String.valueOf(maxSessionsPerUser));
    f.put("maxSessionsPerRoom", String.valueOf(maxSessionsPerRoom));
    f.put("maxSessionsTotal", String.valueOf(maxSessionsTotal));
    f.put("leaveDetectionMillis", String.valueOf(leaveDetectionMillis));
    f.put("idleTimeoutMillis", String.valueOf(idleTimeoutMillis));
    f.put("pingIntervalMillis", String.valueOf(pingIntervalMillis));
    f.put("openTimeoutMillis", String.valueOf(openTimeoutMillis));
    f.put("shutdownGraceMillis", String.valueOf(shutdownGraceMillis));
    f.put("drainMillis", String.valueOf(drainMillis));
    f.put("warmupMillis", String.valueOf(warmupMillis));
    f.put("acceptRatePerCore", String.valueOf(acceptRatePerCore));
    f.put("metricsPort", portText(metricsPort));
    f.put("wsPort", portText(wsPort));
    if (wsEnabled()) {
      f.put("wsAllowedOrigins", wsAllowedOrigins.toString());
    }
    f.put("tls", tlsEnabled() ? (tlsClientCaFile.isEmpty() ? "on" : "mutual") : "off");
    f.put("maxConnectionAgeMillis", maxConnectionAgeMillis == 0 ? "off" : String.valueOf(maxConnectionAgeMillis));
    f.put("maxConnectionAgeGraceMillis", String.valueOf(maxConnectionAgeGraceMillis));
    if (demo) {
      f.put("demo", "on");
    }
    if (!cluster.isEmpty()) {
      f.put("cluster", cluster.size() + "_redis_addresses");
    }
    if (authMode == AuthMode.JWT) {
      f.put("jwtAlgorithm", jwtSecret.isEmpty() ? "RS256" : "HS256");
      f.put("jwtIssuer", jwtIssuer.isEmpty() ? "*" : jwtIssuer);
      f.put("jwtAudience", jwtAudience.isEmpty() ? "*" : jwtAudience);
    }
    return java.util.Collections.unmodifiableMap(f);
  }

  /** @return {@link #logFields()} as {@code key=value} pairs; no secret appears, since this string goes to logs */
  @Override
  public String toString() {
    return dev.presence.server.internal.KeyValues.join(logFields());
  }

  private static String portText(int optionalPort) {
    return optionalPort == 0 ? "off" : optionalPort == ANY_FREE_PORT ? "any" : String.valueOf(optionalPort);
  }

  /** Collects settings; {@link #build()} validates them all at once. */
  public static final class Builder {
    private String host = "";
    private int port = DEFAULT_PORT;
    private AuthMode authMode = AuthMode.valueOf(DEFAULT_AUTH_MODE.toUpperCase(java.util.Locale.ROOT));
    private int throttleWindowMillis = DEFAULT_THROTTLE_WINDOW_MILLIS;
    private int maxStateBytes = DEFAULT_MAX_STATE_BYTES;
    private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
    private int maxFollows = DEFAULT_MAX_FOLLOWS;
    private int maxInboundFrameBytes = DEFAULT_MAX_INBOUND_FRAME_BYTES;
    private int maxStateDepth = DEFAULT_MAX_STATE_DEPTH;
    private int maxOutboundFrameBytes = DEFAULT_MAX_OUTBOUND_FRAME_BYTES;
    private int maxSessionsPerUser = DEFAULT_MAX_SESSIONS_PER_USER;
    private int maxSessionsPerRoom = DEFAULT_MAX_SESSIONS_PER_ROOM;
    private int maxSessionsTotal = DEFAULT_MAX_SESSIONS_TOTAL;
    private int leaveDetectionMillis = DEFAULT_LEAVE_DETECTION_MILLIS;
    private int idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
    // Empty until set: the interval is then derived from leaveDetectionMillis at build time.
    private java.util.OptionalInt pingIntervalMillis = java.util.OptionalInt.empty();
    private int openTimeoutMillis = DEFAULT_OPEN_TIMEOUT_MILLIS;
    private int shutdownGraceMillis = DEFAULT_SHUTDOWN_GRACE_MILLIS;
    private int drainMillis = DEFAULT_DRAIN_MILLIS;
    private int acceptRatePerCore = DEFAULT_ACCEPT_RATE_PER_CORE;
    // An embedded server serves at once unless asked, as tests and embedders expect; the command line defaults
    // to DEFAULT_WARMUP_MILLIS.
    private int warmupMillis = 0;
    private String jwtSecret = "";
    private String jwtPublicKeyFile = "";
    private String jwtIssuer = "";
    private String jwtAudience = "";
    // An embedded server opens no extra port unless asked; the command line defaults to DEFAULT_METRICS_PORT
    // and DEFAULT_WS_PORT.
    private int metricsPort = 0;
    private int wsPort = 0;
    private AllowedOrigins wsAllowedOrigins = AllowedOrigins.sameOrigin();
    private int wsHandshakeTimeoutMillis = MAX_WS_HANDSHAKE_TIMEOUT_MILLIS;
    private String tlsCertFile = "";
    private String tlsKeyFile = "";
    private String tlsClientCaFile = "";
    private int maxConnectionAgeMillis = DEFAULT_MAX_CONNECTION_AGE_MILLIS;
    private int maxConnectionAgeGraceMillis = DEFAULT_MAX_CONNECTION_AGE_GRACE_MILLIS;
    private boolean demo = DEFAULT_DEMO;
    private java.util.List<String> cluster = java.util.List.of();

    private Builder() {}

    /**
     * @param value whether the WebSocket port serves the web demo; it needs that port, so a port left off
     *     ({@code wsPort} 0) turns on at {@link #DEFAULT_WS_PORT}
     * @return this
     */
    public Builder demo(boolean value) {
      demo = value;
      return this;
    }

    /**
     * @param addresses Redis addresses ({@code redis://} or {@code rediss://}) of the cluster to join: one
     *     Redis, or the seeds of a Redis Cluster; empty for a single node
     * @return this builder
     */
    public Builder cluster(java.util.List<String> addresses) {
      cluster = java.util.List.copyOf(addresses);
      return this;
    }

    /** @param value port of the Prometheus endpoint, 0 to turn it off, {@link #ANY_FREE_PORT} for any @return this */
    public Builder metricsPort(int value) {
      metricsPort = value;
      return this;
    }

    /** @param value port of the WebSocket binding, 0 to turn it off, {@link #ANY_FREE_PORT} for any @return this */
    public Builder wsPort(int value) {
      wsPort = value;
      return this;
    }

    /** @param value the origins allowed to open WebSocket sessions @return this */
    public Builder wsAllowedOrigins(AllowedOrigins value) {
      wsAllowedOrigins = java.util.Objects.requireNonNull(value, "wsAllowedOrigins");
      return this;
    }

    /**
     * @param value how long a WebSocket connection may take to complete its opening handshake, 1..10000; the
     *     protocol's bound is the default, and a shorter one is for tests
     * @return this
     */
    public Builder wsHandshakeTimeoutMillis(int value) {
      wsHandshakeTimeoutMillis = value;
      return this;
    }

    /** @param value server certificate chain (PEM) file; empty for plaintext @return this */
    public Builder tlsCertFile(String value) {
      tlsCertFile = value == null ? "" : value.trim();
      return this;
    }

    /** @param value server private key (PKCS#8 PEM) file; empty for plaintext @return this */
    public Builder tlsKeyFile(String value) {
      tlsKeyFile = value == null ? "" : value.trim();
      return this;
    }

    /** @param value CA file (PEM) client certificates must chain to; empty to not require them @return this */
    public Builder tlsClientCaFile(String value) {
      tlsClientCaFile = value == null ? "" : value.trim();
      return this;
    }

    /** @param value connection age before GOAWAY, 0 for unlimited, else at least 1000 @return this */
    public Builder maxConnectionAgeMillis(int value) {
      maxConnectionAgeMillis = value;
      return this;
    }

    /** @param value how long calls may outlive the maximum age, at least 0 @return this */
    public Builder maxConnectionAgeGraceMillis(int value) {
      maxConnectionAgeGraceMillis = value;
      return this;
    }

    /** @param value HS256 secret, at least 32 bytes of UTF-8; empty for none @return this */
    public Builder jwtSecret(String value) {
      jwtSecret = value == null ? "" : value;
      return this;
    }

    /** @param value path of an RS256 public key in PEM; empty for none @return this */
    public Builder jwtPublicKeyFile(String value) {
      jwtPublicKeyFile = value == null ? "" : value.trim();
      return this;
    }

    /** @param value required issuer; empty accepts any @return this */
    public Builder jwtIssuer(String value) {
      jwtIssuer = value == null ? "" : value.trim();
      return this;
    }

    /** @param value required audience; empty accepts any @return this */
    public Builder jwtAudience(String value) {
      jwtAudience = value == null ? "" : value.trim();
      return this;
    }

    /**
     * @param value address every port binds, e.g. {@code 0.0.0.0} for every interface; empty (the default) binds
     *     {@link #LOOPBACK_HOST} under {@link AuthMode#NONE} and every interface otherwise
     * @return this
     */
    public Builder host(String value) {
      host = value == null ? "" : value.trim();
      return this;
    }

    /** @param value TCP port, 0 for any free port @return this */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /** @param value authentication mode @return this */
    public Builder authMode(AuthMode value) {
      authMode = value;
      return this;
    }

    /** @param value throttle window, 16..1000 @return this */
    public Builder throttleWindowMillis(int value) {
      throttleWindowMillis = value;
      return this;
    }

    /** @param value largest state, at least 1024 @return this */
    public Builder maxStateBytes(int value) {
      maxStateBytes = value;
      return this;
    }

    /** @param value subscriptions per session, at least 4 @return this */
    public Builder maxSubscriptions(int value) {
      maxSubscriptions = value;
      return this;
    }

    /** @param value follows per session, at least 16 @return this */
    public Builder maxFollows(int value) {
      maxFollows = value;
      return this;
    }

    /** @param value largest inbound frame, at least maxStateBytes + 1024 @return this */
    public Builder maxInboundFrameBytes(int value) {
      maxInboundFrameBytes = value;
      return this;
    }

    /** @param value deepest state, 8..100 @return this */
    public Builder maxStateDepth(int value) {
      maxStateDepth = value;
      return this;
    }

    /**
     * @param value largest outbound frame, at least max(65536, maxStateBytes + 68 × maxSubscriptions + 1024),
     *     at most 4194304
     * @return this
     */
    public Builder maxOutboundFrameBytes(int value) {
      maxOutboundFrameBytes = value;
      return this;
    }

    /** @param value sessions of one user in one room, at least 1 @return this */
    public Builder maxSessionsPerUser(int value) {
      maxSessionsPerUser = value;
      return this;
    }

    /** @param value sessions in one room, at least 2 @return this */
    public Builder maxSessionsPerRoom(int value) {
      maxSessionsPerRoom = value;
      return this;
    }

    /** @param value sessions on the server, at least 1 @return this */
    public Builder maxSessionsTotal(int value) {
      maxSessionsTotal = value;
      return this;
    }

    /** @param value bound on detecting a dead peer, 100..10000 @return this */
    public Builder leaveDetectionMillis(int value) {
      leaveDetectionMillis = value;
      return this;
    }

    /** @param value idle timeout, 0 to disable @return this */
    public Builder idleTimeoutMillis(int value) {
      idleTimeoutMillis = value;
      return this;
    }

    /**
     * @param value server ping interval, 0 to disable, else below leaveDetectionMillis; left unset, it is
     *     {@link ServerConfig#defaultPingIntervalMillis(int)} of leaveDetectionMillis
     * @return this
     */
    public Builder pingIntervalMillis(int value) {
      pingIntervalMillis = java.util.OptionalInt.of(value);
      return this;
    }

    /** @param value time allowed before the open frame, at least 1 @return this */
    public Builder openTimeoutMillis(int value) {
      openTimeoutMillis = value;
      return this;
    }


    /** @param value graceful shutdown bound, at least 0 @return this */
    public Builder shutdownGraceMillis(int value) {
      shutdownGraceMillis = value;
      return this;
    }

    /** @param value new connections accepted per second per core, at least 0; 0 does not pace them @return this */
    public Builder acceptRatePerCore(int value) {
      acceptRatePerCore = value;
      return this;
    }

    /** @param value drain window before a shutdown on SIGTERM, at least 0 @return this */
    public Builder drainMillis(int value) {
      drainMillis = value;
      return this;
    }

    /**
     * @param value the longest warm-up before SERVING, at least 0: the server runs a burst of presence through
     *     a private copy of its transports on loopback until the fan-out meets PRS-THR-3's bound; 0 skips it
     * @return this
     */
    public Builder warmupMillis(int value) {
      warmupMillis = value;
      return this;
    }

    /**
     * Validates every setting.
     *
     * @return the configuration
     * @throws ConfigException naming the first setting out of bounds
     */
    public ServerConfig build() {
      range("port", port, 0, 65535);
      for (String address : cluster) {
        if (!address.startsWith("redis://") && !address.startsWith("rediss://")) {
          throw new ConfigException("cluster addresses must start with redis:// or rediss://, not '" + address + "'");
        }
      }
      if (authMode == null) {
        throw new ConfigException("auth must be set");
      }
      range("throttleWindowMillis", throttleWindowMillis, 16, 1000);
      range("maxStateBytes", maxStateBytes, 1024, Integer.MAX_VALUE / 2);
      range("maxSubscriptions", maxSubscriptions, 4, 100_000);
      range("maxFollows", maxFollows, 16, 1_000_000);
      range("maxInboundFrameBytes", maxInboundFrameBytes, maxStateBytes + 1024, Integer.MAX_VALUE);
      range("maxStateDepth", maxStateDepth, MIN_MAX_STATE_DEPTH, MAX_MAX_STATE_DEPTH);
      // One event carrying a largest state, tagged with every subscription id, must fit in one frame.
      range("maxOutboundFrameBytes", maxOutboundFrameBytes,
          Math.max(65_536, maxStateBytes + 68L * maxSubscriptions + 1024), MAX_OUTBOUND_FRAME_BYTES_CEILING);
      range("maxSessionsPerUser", maxSessionsPerUser, 1, Integer.MAX_VALUE);
      range("maxSessionsPerRoom", maxSessionsPerRoom, 2, MAX_SESSIONS_PER_ROOM);
      range("maxSessionsTotal", maxSessionsTotal, 1, Integer.MAX_VALUE);
      range("leaveDetectionMillis", leaveDetectionMillis, 100, 10_000);
      range("idleTimeoutMillis", idleTimeoutMillis, 0, Integer.MAX_VALUE);
      pingWithinLeaveDetection();
      range("openTimeoutMillis", openTimeoutMillis, 1, Integer.MAX_VALUE);
      range("shutdownGraceMillis", shutdownGraceMillis, 0, Integer.MAX_VALUE);
      range("drainMillis", drainMillis, 0, Integer.MAX_VALUE);
      range("warmupMillis", warmupMillis, 0, 600_000);
      range("acceptRatePerCore", acceptRatePerCore, 0, 1_000_000);
      if (demo && wsPort == 0) {
        wsPort = DEFAULT_WS_PORT;
      }
      range("metricsPort", metricsPort, ANY_FREE_PORT, 65535);
      range("wsPort", wsPort, ANY_FREE_PORT, 65535);
      distinctPorts();
      range("wsHandshakeTimeoutMillis", wsHandshakeTimeoutMillis, 1, MAX_WS_HANDSHAKE_TIMEOUT_MILLIS);
      if (maxConnectionAgeMillis != 0) {
        // grpc-java rounds shorter ages up to one second anyway; say so instead of silently changing it.
        range("maxConnectionAgeMillis", maxConnectionAgeMillis, 1000, Integer.MAX_VALUE);
      }
      range("maxConnectionAgeGraceMillis", maxConnectionAgeGraceMillis, 0, Integer.MAX_VALUE);
      if (tlsCertFile.isEmpty() != tlsKeyFile.isEmpty()) {
        throw new ConfigException("tlsCertFile and tlsKeyFile must be given together");
      }
      if (!tlsClientCaFile.isEmpty() && tlsCertFile.isEmpty()) {
        throw new ConfigException("tlsClientCaFile needs tlsCertFile and tlsKeyFile: mutual TLS is TLS first");
      }
      readable("tlsCertFile", tlsCertFile);
      readable("tlsKeyFile", tlsKeyFile);
      readable("tlsClientCaFile", tlsClientCaFile);
      if (authMode == AuthMode.JWT) {
        if (jwtSecret.isEmpty() == jwtPublicKeyFile.isEmpty()) {
          throw new ConfigException("auth=jwt needs exactly one of jwtSecret (HS256) or jwtPublicKeyFile (RS256)");
        }
        if (!jwtSecret.isEmpty() && jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
          throw new ConfigException("jwtSecret is too short; HS256 needs at least 32 bytes");
        }
      }
      return new ServerConfig(this);
    }

    /** Only an interval that was set can disagree with the bound: a derived one is below it by construction. */
    private void pingWithinLeaveDetection() {
      if (pingIntervalMillis.isEmpty()) {
        return;
      }
      int ping = pingIntervalMillis.getAsInt();
      range("pingIntervalMillis", ping, 0, Integer.MAX_VALUE);
      if (ping >= leaveDetectionMillis) {
        // PRS-LIV-6: the pong deadline is the bound minus the interval, which must leave time for a pong.
        throw new ConfigException("pingIntervalMillis=" + ping + " must be below leaveDetectionMillis="
            + leaveDetectionMillis + " (PRS-LIV-6); set a smaller pingIntervalMillis, 0 to send no pings, or leave "
            + "pingIntervalMillis unset to derive it as half of leaveDetectionMillis");
      }
    }

    /** Fixed ports must differ; 0 and {@link #ANY_FREE_PORT} never collide. */
    private void distinctPorts() {
      if (metricsPort > 0 && metricsPort == port) {
        throw new ConfigException("metricsPort=" + metricsPort + " must differ from port");
      }
      if (wsPort > 0 && wsPort == port) {
        throw new ConfigException("wsPort=" + wsPort + " must differ from port");
      }
      if (wsPort > 0 && wsPort == metricsPort) {
        throw new ConfigException("wsPort=" + wsPort + " must differ from metricsPort");
      }
    }

    private static void readable(String name, String file) {
      if (!file.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
        throw new ConfigException(name + "=" + file + " is not a readable file");
      }
    }

    private static void range(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw new ConfigException(
            name + "=" + value + " is out of range; allowed " + min + ".." + (max == Integer.MAX_VALUE ? "" : max));
      }
    }
  }
}
