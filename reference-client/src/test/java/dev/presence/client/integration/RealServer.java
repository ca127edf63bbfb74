package dev.presence.client.integration;

import dev.presence.client.PresenceClient;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The reference server on a loopback port over Netty, with the clients made for it closed along with it. Unless
 * customized otherwise, the server runs in the insecure development auth mode, so clients claim their user ids.
 */
final class RealServer implements AutoCloseable {
  /** Deadline for anything the tests wait for: a frame, an event, a reconnect. Generous for slow machines. */
  static final Duration PATIENCE = Duration.ofSeconds(10);

  private final ServerConfig config;
  private final List<PresenceClient> clients = new ArrayList<>();
  private PresenceServer server;
  private int port;

  private RealServer(ServerConfig config) {
    this.config = config;
  }

  /**
   * Starts a server on a port the operating system picks.
   *
   * @param customize adjusts the defaults
   * @return the running server
   */
  static RealServer start(UnaryOperator<ServerConfig.Builder> customize) throws IOException {
    RealServer s = new RealServer(customize.apply(ServerConfig.builder().host("127.0.0.1").port(0)).build());
    s.server = PresenceServer.builder(s.config).build().start();
    s.port = s.server.port();
    return s;
  }

  int port() {
    return port;
  }

  /** The running server, for what a test does as the operator, such as a drain. */
  PresenceServer server() {
    return server;
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  /** Shuts the server down as an operator would: every session ends with UNAVAILABLE. */
  void stop() throws InterruptedException {
    server.shutdown(Duration.ofSeconds(2));
  }

  /** Starts a new server, with an empty state, on the port of the stopped one. */
  void startAgainOnSamePort() throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        server = PresenceServer.builder(config.toBuilder().port(port).build()).build().start();
        return;
      } catch (IOException e) {
        // The old listener may take a moment to release the port.
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not bind port " + port + " again", e);
        }
        Thread.sleep(20);
      }
    }
  }

  /**
   * A connected client of this server.
   *
   * @param room the room
   * @param user the user id to claim
   * @return the client, closed with the server
   */
  PresenceClient client(String room, String user) {
    return connect(PresenceClient.builder().target(target()), room, user);
  }

  /**
   * Connects a partly configured client.
   *
   * @param builder a builder with its target set
   * @param room the room
   * @param user the user id to claim
   * @return the client, closed with the server
   */
  PresenceClient connect(PresenceClient.Builder builder, String room, String user) {
    return connect(builder.devIdentity(user, user.toUpperCase()), room);
  }

  /**
   * Connects a partly configured client that brings its own identity, for example a token.
   *
   * @param builder a builder with its target and identity set
   * @param room the room
   * @return the client, closed with the server
   */
  PresenceClient connect(PresenceClient.Builder builder, String room) {
    PresenceClient c = builder.room(room)
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(200))
        .build();
    synchronized (clients) {
      clients.add(c);
    }
    try {
      c.connect().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("client did not connect", e);
    }
    return c;
  }

  /**
   * Polls a condition until {@link #PATIENCE} runs out.
   *
   * @param what what is awaited, for the failure message
   * @param condition the condition
   */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + PATIENCE.toMillis() + " ms waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    synchronized (clients) {
      clients.forEach(PresenceClient::close);
    }
    try {
      server.shutdown(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
