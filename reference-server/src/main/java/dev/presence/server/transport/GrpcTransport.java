package dev.presence.server.transport;

import dev.presence.server.config.ServerConfig;
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
final class GrpcTransport {
  /**
   * Clients may send HTTP/2 pings every 1000 ms, with or without calls (PRS-LIV-8). gRPC judges the gaps between
   * their arrivals, which jitter: a ping sent 1000 ms after the one before can arrive sooner when that one was
   * delayed, and three such strikes end the connection. Half the interval leaves room for that.
   */
  private static final long PERMIT_KEEPALIVE_MILLIS = 500;

  private final Server server;
  private final EventLoopGroup boss;

  /**
   * @param services shared with the other binding
   * @param extraServices health, reflection and any others, bound next to presence
   * @param eventLoops the I/O threads, owned by the caller, who closes them after this transport ends
   * @throws dev.presence.server.config.ConfigException when the TLS files cannot be used
   */
  GrpcTransport(SessionServices services, List<BindableService> extraServices, EventLoops eventLoops) {
    ServerConfig config = services.config;
    // grpc-java raises keepalive time to at least 10 s; ConnectionActivity probes to the exact bound and
    // the built-in keepalive stays as a backstop.
    long keepAliveTimeMillis = Math.max(1, config.leaveDetectionMillis() / 2);
    long keepAliveTimeoutMillis = Math.max(1, config.leaveDetectionMillis() - keepAliveTimeMillis);
    ConnectionActivity activity = new ConnectionActivity(config.leaveDetectionMillis());
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    InetSocketAddress address = config.host().isEmpty()
        ? new InetSocketAddress(config.port())
        : new InetSocketAddress(config.host(), config.port());
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
        .channelFactory(() -> activity.newServerChannel(services.acceptPacer))
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(eventLoops.group())
        // Handlers only hand work to room executors, so running them on the event loop is safe and
        // saves a thread hop per frame.
        .directExecutor()
        .keepAliveTime(keepAliveTimeMillis, TimeUnit.MILLISECONDS)
        .keepAliveTimeout(keepAliveTimeoutMillis, TimeUnit.MILLISECONDS)
        .permitKeepAliveTime(PERMIT_KEEPALIVE_MILLIS, TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        // Messages up to this reach the request marshaller, which answers them; gRPC resets only longer ones.
        .maxInboundMessageSize(services.decoder.answeredLimit())
        .addService(PresenceServiceBinding.create(services, activity));
    if (config.tlsEnabled()) {
      builder.sslContext(ServerTls.grpcContext(config));
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
  void start() throws IOException {
    server.start();
  }

  /** @return the bound port */
  int port() {
    return server.getPort();
  }

  /** @return the bound address */
  InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  /** Stops accepting connections; calls continue until they end. */
  void shutdown() {
    server.shutdown();
  }

  /**
   * @param timeoutMillis the longest wait
   * @return whether every call ended in time; if not, the rest are cut
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitTermination(long timeoutMillis) throws InterruptedException {
    boolean clean = server.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    if (!clean) {
      server.shutdownNow();
      server.awaitTermination(1, TimeUnit.SECONDS);
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return clean;
  }
}
