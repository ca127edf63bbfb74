package dev.presence.conformance.selftest;

import dev.presence.conformance.driver.Endpoints;
import dev.presence.conformance.driver.GrpcEndpoint;
import dev.presence.conformance.driver.WebSocketEndpoint;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A reference server on a free loopback port and a channel to it, for the self-tests that run the kit against it.
 *
 * @param server the running server
 * @param channel a plaintext channel to it
 */
// Closing waits for the server to stop, so it may be interrupted; the interrupt reaches the caller.
@SuppressWarnings("try")
record EmbeddedServer(PresenceServer server, ManagedChannel channel) implements AutoCloseable {

  /** Starts a server with {@code config}'s settings, bound to 127.0.0.1 on free ports for both bindings. */
  static EmbeddedServer start(ServerConfig.Builder config) throws IOException {
    PresenceServer server = PresenceServer.builder(config.host("127.0.0.1").port(0)
        .wsPort(ServerConfig.ANY_FREE_PORT).build()).build().start();
    return new EmbeddedServer(server, channelTo(server.port()));
  }

  /** Returns a plaintext channel to a loopback port. */
  static ManagedChannel channelTo(int port) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
  }

  int port() {
    return server.port();
  }

  /** Returns the server's gRPC endpoint, at its address, so that the kit can put proxies in front of it. */
  Endpoints grpc() {
    return Endpoints.of(grpcEndpoint());
  }

  /** Returns the server's gRPC endpoint, at its address. */
  GrpcEndpoint grpcEndpoint() {
    return grpcAt(channel, port());
  }

  /** Returns the server's WebSocket endpoint. */
  WebSocketEndpoint webSocket() {
    return WebSocketEndpoint.loopback(server.wsPort());
  }

  /** Returns a gRPC endpoint behind a channel to a loopback port, which the kit can relay. */
  static GrpcEndpoint grpcAt(ManagedChannel channel, int port) {
    return GrpcEndpoint.at(channel, "127.0.0.1", port, (host, relayPort) -> channelTo(relayPort));
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdown(Duration.ofSeconds(5));
  }
}
