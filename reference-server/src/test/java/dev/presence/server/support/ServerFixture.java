package dev.presence.server.support;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real server on a loopback port chosen by the OS, with channels that are closed with it. */
public final class ServerFixture implements AutoCloseable {
  private final ServerConfig config;
  private final PresenceServer server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  private ServerFixture(ServerConfig config) throws Exception {
    this.config = config;
    server = PresenceServer.builder(config).build().start();
  }

  /** @param customize adjusts the defaults; port and host are fixed to loopback:0 */
  public static ServerFixture start(java.util.function.UnaryOperator<ServerConfig.Builder> customize)
      throws Exception {
    // The metrics endpoint is off unless a test turns it on: its default port is fixed and would collide.
    return new ServerFixture(
        customize.apply(ServerConfig.builder().host("127.0.0.1").port(0).metricsPort(0)).build());
  }

  /**
   * Starts a server whose Prometheus endpoint listens on a free loopback port.
   *
   * @param customize adjusts the defaults, as for {@link #start(java.util.function.UnaryOperator)}
   */
  public static ServerFixture startMetered(java.util.function.UnaryOperator<ServerConfig.Builder> customize)
      throws Exception {
    return start(b -> customize.apply(b).metricsPort(ServerConfig.ANY_FREE_PORT));
  }

  /**
   * Starts a server that also serves the WebSocket binding on a free loopback port.
   *
   * @param customize adjusts the defaults, as for {@link #start(java.util.function.UnaryOperator)}
   */
  public static ServerFixture startWithWebSocket(java.util.function.UnaryOperator<ServerConfig.Builder> customize)
      throws Exception {
    return start(b -> customize.apply(b).wsPort(ServerConfig.ANY_FREE_PORT));
  }

  public static ServerFixture start() throws Exception {
    return start(b -> b);
  }

  public PresenceServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  /** @return the port of the server's metrics endpoint, 0 for none */
  public int metricsPort() {
    return server.metricsPort();
  }

  /** @return the port of the server's WebSocket binding, 0 for none */
  public int wsPort() {
    return server.wsPort();
  }

  /** @return a WebSocket session that has opened */
  public WsSession openWs(String room, String user) {
    return WsSession.open(wsPort(), room, user);
  }

  /** @return the configuration the server runs with */
  public ServerConfig config() {
    return config;
  }

  /** @param path e.g. {@code /metrics} @return one GET of it on {@link #metricsPort()} */
  public MetricsScrape scrape(String path) throws IOException, InterruptedException {
    return MetricsScrape.get(metricsPort(), path);
  }

  /** @return {@link PresenceServer#pendingHighWater}, waiting up to 5 s per room; for polling */
  public int pendingHighWater() {
    try {
      return server.pendingHighWater(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** @return a new channel (a new HTTP/2 connection) to the server */
  public ManagedChannel channel() {
    ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    channels.add(c);
    return c;
  }

  /**
   * @return a new channel with a small fixed flow-control window (no auto-tuning), so that the server's call to a
   *     client that stops reading becomes unwritable within a second
   */
  public ManagedChannel smallWindowChannel() {
    ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
        .flowControlWindow(64 * 1024).build();
    channels.add(c);
    return c;
  }

  public TestSession open(String room, String user) {
    return TestSession.open(channel(), room, user);
  }

  /** Opens a session subscribed to {@code '*'} (subscription id "all") whose snapshot is complete. */
  public TestSession openWatchingAll(String room, String user) {
    TestSession watcher = open(room, user);
    watcher.send(Frames.subscribe(1, "all", Frames.all()));
    watcher.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    return watcher;
  }

  @Override
  public void close() {
    try {
      server.shutdown(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
    }
  }
}
