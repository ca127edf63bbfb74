package dev.presence.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.Main;
import dev.presence.server.support.ChildProcess;
import dev.presence.server.support.RawWebSocket;
import dev.presence.server.support.RawWebSocket.HttpReply;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.WsSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code --demo}: the WebSocket port serves the web demo's bundle at {@code /} and nothing else besides the
 * binding and the health endpoints; without the flag those paths stay 404.
 */
class WebDemoIT {
  private static final String BUNDLE = "dev/presence/server/demo/";

  private static HttpReply get(int port, String method, String path, String... headers) throws IOException {
    try (RawWebSocket http = RawWebSocket.connect(port)) {
      StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n");
      for (String header : headers) {
        request.append(header).append("\r\n");
      }
      return http.request(request.append("\r\n").toString());
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = WebDemoIT.class.getClassLoader().getResourceAsStream(BUNDLE + name)) {
      assertThat(in).as("the bundle's %s on the class path", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void assertNotFound(HttpReply reply, String path) {
    assertThat(reply.status()).as("status of %s", path).isEqualTo(404);
    assertThat(reply.header("content-type")).as("content type of %s", path).startsWith("text/plain");
  }

  @Test
  @DisplayName("--demo serves index.html at / and each file of the bundle's manifest with its content type and caching headers")
  void servesTheBundle() throws Exception {
    try (ServerFixture fx = ServerFixture.startWithWebSocket(b -> b.demo(true))) {
      HttpReply index = get(fx.wsPort(), "GET", "/");
      assertThat(index.status()).isEqualTo(200);
      assertThat(index.header("content-type")).isEqualTo("text/html; charset=utf-8");
      assertThat(index.header("cache-control")).isEqualTo("no-cache");
      assertThat(index.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(index.header("content-security-policy")).contains("connect-src 'self'");
      assertThat(index.body()).isEqualTo(resource("index.html")).contains("demo.js");
      assertThat(get(fx.wsPort(), "GET", "/index.html?room=x").body()).isEqualTo(index.body());

      List<String> files = resource("files.txt").lines().filter(l -> !l.isBlank()).toList();
      assertThat(files).contains("index.html", "demo.js", "demo.css").doesNotContain("files.txt");
      for (String name : files) {
        HttpReply file = get(fx.wsPort(), "GET", "/" + name);
        assertThat(file.status()).as(name).isEqualTo(200);
        assertThat(file.body()).as(name).isEqualTo(resource(name));
        assertThat(file.header("etag")).as(name).matches("\"[0-9a-f]{24}\"");
        assertThat(file.header("cache-control")).as(name).isEqualTo("no-cache");
      }
      assertThat(get(fx.wsPort(), "GET", "/demo.js").header("content-type"))
          .isEqualTo("text/javascript; charset=utf-8");
      assertThat(get(fx.wsPort(), "GET", "/demo.css").header("content-type")).isEqualTo("text/css; charset=utf-8");

      HttpReply head = get(fx.wsPort(), "HEAD", "/demo.js");
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(Integer.parseInt(head.header("content-length")))
          .isEqualTo(resource("demo.js").getBytes(StandardCharsets.UTF_8).length);
      HttpReply revalidated = get(fx.wsPort(), "GET", "/", "If-None-Match: " + index.header("etag"));
      assertThat(revalidated.status()).isEqualTo(304);
      assertThat(revalidated.body()).isEmpty();
      assertThat(get(fx.wsPort(), "GET", "/", "If-None-Match: \"other\"").status()).isEqualTo(200);
      HttpReply post = get(fx.wsPort(), "POST", "/", "Content-Length: 0");
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.header("allow")).isEqualTo("GET, HEAD");
    }
  }

  @Test
  @DisplayName("--demo serves only the bundle's own names: its manifest, other paths and traversals get a text/plain 404")
  void servesNothingElse() throws Exception {
    try (ServerFixture fx = ServerFixture.startWithWebSocket(b -> b.demo(true))) {
      for (String path : List.of("/files.txt", "/logback.xml", "/../pom.xml", "/%2e%2e/pom.xml", "/demo.js/..",
          "//demo.js", "/./demo.js", "/dev/presence/server/demo/index.html", "/" + BUNDLE + "demo.js",
          "/index.html/", "/DEMO.JS", "/%2fetc%2fpasswd", "/..%2f..%2fpom.xml", "/nope")) {
        assertNotFound(get(fx.wsPort(), "GET", path), path);
      }
      // The binding and the health endpoints are where they were.
      assertThat(get(fx.wsPort(), "GET", "/healthz").status()).isEqualTo(200);
      WsSession session = fx.openWs("demo", "ada");
      assertThat(session.opened().getSelf().getUserId()).isEqualTo("ada");
      session.abort();
      // A WebSocket handshake at / is refused as on any path but /presence.v1, not answered with the page.
      String upgrade = RawWebSocket.handshake(fx.wsPort()).replace("GET /presence.v1 ", "GET / ");
      try (RawWebSocket raw = RawWebSocket.connect(fx.wsPort())) {
        assertThat(raw.request(upgrade).status()).isEqualTo(404);
      }
    }
  }

  @Test
  @DisplayName("Without --demo, / and the bundle's files stay 404 on the WebSocket port")
  void offByDefault() throws Exception {
    try (ServerFixture fx = ServerFixture.startWithWebSocket(b -> b)) {
      for (String path : List.of("/", "/index.html", "/demo.js", "/demo.css")) {
        assertNotFound(get(fx.wsPort(), "GET", path), path);
      }
    }
  }

  @Test
  @DisplayName("The command line's --demo: the listening line names the page, which answers on the WebSocket port")
  void commandLineFlag() throws Exception {
    try (ChildProcess server = ChildProcess.start(Main.class, "--host", "127.0.0.1", "--port", "0",
        "--ws-port", "-1", "--metrics-port", "0", "--demo")) {
      String line = server.awaitLine("listening line", l -> l.contains("listening on"), Duration.ofSeconds(30));
      Matcher m = Pattern.compile(" websocket=ws://:(\\d+)/presence\\.v1 demo=http://:(\\d+)/ ").matcher(line);
      assertThat(m.find()).as(line).isTrue();
      assertThat(m.group(2)).isEqualTo(m.group(1));
      server.awaitLine("demo line", l -> l.contains("open http://127.0.0.1:" + m.group(1) + "/"), Duration.ofSeconds(5));
      HttpReply index = get(Integer.parseInt(m.group(1)), "GET", "/");
      assertThat(index.status()).isEqualTo(200);
      assertThat(index.body()).isEqualTo(resource("index.html"));
    }
  }
}
