package dev.presence.server.support;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real server on a loopback port chosen by the OS, with channels that are closed with it. */
public final class ServerFixture implements AutoCloseable {
  private final PresenceServer server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  private ServerFixture(ServerConfig config) throws Exception {
    server = PresenceServer.builder(config).build().start();
  }

  /** @param customize adjusts the defaults; port and host are fixed to loopback:0 */
  public static ServerFixture start(java.util.function.UnaryOperator<ServerConfig.Builder> customize)
      throws Exception {
    // The metrics endpoint is off unless a test turns it on: its default port is fixed and would collide.
    return new ServerFixture(
        customize.apply(ServerConfig.builder().host("127.0.0.1").port(0).metricsPort(0)).build());
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

  /** @return a new channel (a new HTTP/2 connection) to the server */
  public ManagedChannel channel() {
    ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
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
  public void close() throws Exception {
    server.shutdown(Duration.ofSeconds(2));
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
  }
}
