package dev.presence.server.transport;

import dev.presence.server.auth.Authenticator;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Clock;
import dev.presence.server.internal.Metrics;
import dev.presence.server.internal.Timer;
import dev.presence.server.room.RoomRegistry;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty gRPC server, plaintext or TLS (optionally mutual). Liveness is derived from {@code leaveDetectionMillis}: after half of
 * it without inbound bytes the server pings, and gives up within the other half, so an unreachable peer
 * is detected within the advertised bound (PRS-LIV-1).
 */
public final class GrpcTransport {
  /**
   * Frames up to this multiple of max_inbound_frame_bytes reach the request marshaller, which refuses them
   * with FRAME_TOO_LARGE; only longer ones may be reset by gRPC itself (PRS-TRN-6).
   */
  private static final int OVERSIZE_ANSWERED_FACTOR = 16;
  /** Clients may send HTTP/2 pings this often, with or without calls (PRS-LIV-8). */
  private static final long PERMIT_KEEPALIVE_MILLIS = 1000;

  private final Server server;
  private final EventLoopGroup boss;
  private final SessionServices services;

  /**
   * @param config settings
   * @param authenticator identity source
   * @param registry rooms
   * @param clock time
   * @param timer delayed tasks
   * @param extraServices health, reflection and any others, bound next to presence
   * @param metrics what calls count before they reach a room
   * @param eventLoops the I/O threads, owned by the caller, who closes them after this transport ends
   * @throws dev.presence.server.config.ConfigException when the TLS files cannot be used
   */
  public GrpcTransport(ServerConfig config, Authenticator authenticator, RoomRegistry registry, Clock clock,
      Timer timer, List<BindableService> extraServices, Metrics metrics, EventLoops eventLoops) {
    // grpc-java raises keepalive time to at least 10 s; ConnectionActivity probes to the exact bound and
    // the built-in keepalive stays as a backstop.
    long keepAliveTimeMillis = Math.max(1, config.leaveDetectionMillis() / 2);
    long keepAliveTimeoutMillis = Math.max(1, config.leaveDetectionMillis() - keepAliveTimeMillis);
    ConnectionActivity activity = new ConnectionActivity(config.leaveDetectionMillis());
    services = new SessionServices(config, authenticator, registry, clock, timer, activity, metrics);
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    InetSocketAddress address = config.host().isEmpty()
        ? new InetSocketAddress(config.port())
        : new InetSocketAddress(config.host(), config.port());
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
        .channelFactory(activity::newServerChannel)
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(eventLoops.group())
        // Handlers only hand work to room executors, so running them on the event loop is safe and
        // saves a thread hop per frame.
        .directExecutor()
        .keepAliveTime(keepAliveTimeMillis, TimeUnit.MILLISECONDS)
        .keepAliveTimeout(keepAliveTimeoutMillis, TimeUnit.MILLISECONDS)
        .permitKeepAliveTime(PERMIT_KEEPALIVE_MILLIS, TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE,
            (long) config.maxInboundFrameBytes() * OVERSIZE_ANSWERED_FACTOR))
        .addService(PresenceServiceBinding.create(services));
    if (config.tlsEnabled()) {
      builder.sslContext(ServerTls.context(config));
    }
    if (config.maxConnectionAgeMillis() > 0) {
      // grpc-java adds up to 10% jitter to the age so connections opened together do not all go away
      // together; after the GOAWAY, calls have the grace period before the connection is closed.
      builder.maxConnectionAge(config.maxConnectionAgeMillis(), TimeUnit.MILLISECONDS)
          .maxConnectionAgeGrace(config.maxConnectionAgeGraceMillis(), TimeUnit.MILLISECONDS);
    }
    for (BindableService s : extraServices) {
      builder.addService(s);
    }
    server = builder.build();
  }

  /** @throws IOException when the port cannot be bound */
  public void start() throws IOException {
    server.start();
  }

  /** @return the bound port */
  public int port() {
    return server.getPort();
  }

  /**
   * Stops accepting connections and ends calls still waiting for their {@code open} with SHUTTING_DOWN;
   * open sessions continue until their rooms end them. Call after the registry refuses new sessions.
   */
  public void shutdown() {
    server.shutdown();
    for (SessionCall call : services.awaitingOpen) {
      call.rejectForShutdown();
    }
  }

  /**
   * @param timeoutMillis the longest wait
   * @return whether every call ended in time; if not, the rest are cut
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(long timeoutMillis) throws InterruptedException {
    boolean clean = server.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    if (!clean) {
      server.shutdownNow();
      server.awaitTermination(1, TimeUnit.SECONDS);
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return clean;
  }
}
