package dev.presence.server.transport;

import dev.presence.server.auth.Authenticator;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Clock;
import dev.presence.server.internal.Metrics;
import dev.presence.server.internal.Timer;
import dev.presence.server.ops.OpsServices;
import dev.presence.server.room.RoomRegistry;
import io.grpc.BindableService;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The server's bindings: gRPC always, WebSocket when {@link ServerConfig#wsEnabled()}. Their calls share one
 * way of opening sessions (PRS-OPN-9, PRS-OPN-7, PRS-END-5), one registry of rooms and one set of event loops,
 * so that sessions of both bindings are alike (PRS-WS-18).
 */
public final class Transports {
  private final SessionServices services;
  private final GrpcTransport grpc;
  private final WebSocketTransport webSocket;

  /**
   * @param config settings
   * @param authenticator identity source
   * @param registry rooms
   * @param clock time
   * @param timer delayed tasks
   * @param extraServices health, reflection and any others, bound next to presence on the gRPC port
   * @param readiness what the WebSocket port's {@code /readyz} reports
   * @param metrics what calls count before they reach a room
   * @param eventLoops the I/O threads, owned by the caller, who closes them after the transports end
   * @throws dev.presence.server.config.ConfigException when the TLS files cannot be used, or the demo is asked for
   *     and this build carries none
   */
  public Transports(ServerConfig config, Authenticator authenticator, RoomRegistry registry, Clock clock,
      Timer timer, List<BindableService> extraServices, Supplier<OpsServices.Readiness> readiness, Metrics metrics,
      EventLoops eventLoops) {
    services = new SessionServices(config, authenticator, registry, clock, timer, metrics, eventLoops.count());
    grpc = new GrpcTransport(services, extraServices, eventLoops);
    webSocket = config.wsEnabled()
        ? new WebSocketTransport(services, new HealthEndpoints(readiness),
            config.demo() ? DemoFiles.load() : DemoFiles.none(), eventLoops)
        : null;
  }

  /** @throws IOException when a port cannot be bound; nothing is left listening then */
  public void start() throws IOException {
    grpc.start();
    if (webSocket != null) {
      try {
        webSocket.start();
      } catch (IOException e) {
        grpc.shutdown();
        try {
          grpc.awaitTermination(0);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
        throw new IOException("WebSocket port " + services.config.wsPort() + ": " + e.getMessage(), e);
      }
    }
  }

  /** @return the gRPC port */
  public int grpcPort() {
    return grpc.port();
  }

  /** @return the WebSocket port, or 0 when the binding is off */
  public int wsPort() {
    return webSocket == null ? 0 : webSocket.port();
  }

  /** @return the bound address of the gRPC port, then of the WebSocket port when on */
  public java.util.List<java.net.InetSocketAddress> addresses() {
    return webSocket == null ? java.util.List.of(grpc.address()) : java.util.List.of(grpc.address(), webSocket.address());
  }

  /**
   * Stops accepting gRPC connections and ends calls of either binding still waiting for their {@code open} with
   * SHUTTING_DOWN; open sessions continue until their rooms end them. Call after the registry refuses new
   * sessions. The WebSocket port keeps answering until {@link #awaitTermination}.
   */
  public void shutdown() {
    grpc.shutdown();
    services.rejectAwaitingOpen();
  }

  /**
   * @param timeoutMillis the longest wait
   * @return whether every call ended in time; if not, the rest are cut
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    boolean clean = grpc.awaitTermination(timeoutMillis);
    if (webSocket != null) {
      long left = Math.max(0, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      clean &= webSocket.awaitTermination(left);
    }
    return clean;
  }
}
