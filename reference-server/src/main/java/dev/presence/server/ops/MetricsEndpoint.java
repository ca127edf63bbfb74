package dev.presence.server.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} in the Prometheus text format on its own port, with the JDK's HTTP server.
 * It has its own single thread, so a slow scraper never touches the gRPC event loops or the rooms.
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** The content type Prometheus expects for the text exposition format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService thread;

  private MetricsEndpoint(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /**
   * @param host address to bind; empty binds every interface
   * @param port TCP port
   * @param body produces the exposition at each scrape
   * @return the running endpoint
   * @throws IOException when the port cannot be bound
   */
  public static MetricsEndpoint start(String host, int port, Supplier<String> body) throws IOException {
    InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "presence-metrics-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(thread);
    server.createContext("/", exchange -> respond(exchange, body));
    server.start();
    return new MetricsEndpoint(server, thread);
  }

  private static void respond(HttpExchange exchange, Supplier<String> body) throws IOException {
    try (exchange) {
      boolean metricsPath = exchange.getRequestURI().getPath().equals("/metrics");
      String method = exchange.getRequestMethod();
      if (!metricsPath) {
        send(exchange, 404, "not found; metrics are at /metrics\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "method not allowed\n");
      } else {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        send(exchange, 200, body.get());
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** @return the bound port */
  public int port() {
    return server.getAddress().getPort();
  }

  /** @return the bound address */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops at once: scrapes in flight may be cut, which Prometheus tolerates. */
  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
