package dev.presence.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.SessionEnd;
import dev.presence.server.support.Frames;
import dev.presence.server.support.Poll;
import dev.presence.server.support.RawWebSocket;
import dev.presence.server.support.RawWebSocket.HttpReply;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.WsSession;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** GET /healthz and /readyz on the WebSocket port, consistent with the gRPC health service. */
class WebSocketHealthIT {
  private ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.startWithWebSocket(b -> b);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private HttpReply get(String method, String path) throws Exception {
    try (RawWebSocket http = RawWebSocket.connect(fx.wsPort())) {
      return http.request(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
  }

  @Test
  @DisplayName("/healthz and /readyz answer 200 in plain text while the server serves; other methods get 405")
  void serving() throws Exception {
    HttpReply live = get("GET", "/healthz");
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.header("content-type")).startsWith("text/plain");
    assertThat(live.body()).isEqualTo("alive\n");
    HttpReply ready = get("GET", "/readyz?verbose=1");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("serving\n");
    HttpReply head = get("HEAD", "/readyz");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    HttpReply post = get("POST", "/healthz");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("allow")).contains("GET");
  }

  @Test
  @DisplayName("PRS-END-5: while the server drains, /readyz is 503, /healthz 200, and a new WebSocket session is refused SHUTTING_DOWN")
  void draining() throws Exception {
    // A client that never answers the server's Close keeps the server draining for the close grace period.
    try (RawWebSocket lingering = RawWebSocket.upgraded(fx.wsPort())) {
      lingering.send(Frames.open("r", "lingering"));
      assertThat(lingering.next().hasOpened()).isTrue();
      CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> {
        try {
          return fx.server().shutdown(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      Poll.until("/readyz says 503", Duration.ofSeconds(5), () -> status("/readyz") == 503, () -> "");
      HttpReply ready = get("GET", "/readyz");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.body()).contains("shutting down");
      assertThat(get("GET", "/healthz").status()).isEqualTo(200);
      // Refused at once, before it sends anything (PRS-OPN-9 puts SHUTTING_DOWN first).
      SessionEnd end = WsSession.connect(fx.wsPort()).awaitSessionEnd();
      assertThat(end.getCode()).isEqualTo(14);
      assertThat(end.getReason()).isEqualTo("SHUTTING_DOWN");
      assertThat(shutdown.get(15, TimeUnit.SECONDS)).isTrue();
    }
  }

  private int status(String path) {
    try {
      return get("GET", path).status();
    } catch (Exception e) {
      return -1;
    }
  }
}
