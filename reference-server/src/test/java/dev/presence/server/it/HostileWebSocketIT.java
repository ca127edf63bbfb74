package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.update;
import static dev.presence.server.support.RawWebSocket.BINARY;
import static dev.presence.server.support.RawWebSocket.CLOSE;
import static dev.presence.server.support.RawWebSocket.CONTINUATION;
import static dev.presence.server.support.RawWebSocket.PING;
import static dev.presence.server.support.RawWebSocket.PONG;
import static dev.presence.server.support.RawWebSocket.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.SessionEnd;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.support.Frames;
import dev.presence.server.support.MetricsScrape;
import dev.presence.server.support.Poll;
import dev.presence.server.support.RawWebSocket;
import dev.presence.server.support.RawWebSocket.HttpReply;
import dev.presence.server.support.RawWebSocket.WsFrame;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.WsSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed input on the WebSocket port, from a client written against a plain socket. Each case
 * gets the answer SPEC.md names; afterwards a watcher in the same room was undisturbed, a new session there
 * works, and no session or room is left behind.
 */
class HostileWebSocketIT {
  private static final String ROOM = "hostile";
  private static final int MAX_FRAME_BYTES = 16384;
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 500;
  /** Scheduling slack on a loaded machine for a deadline the server enforces. */
  private static final Duration TOLERANCE = Duration.ofMillis(1500);

  private ServerFixture fx;
  private WsSession watcher;
  private int port;
  private int checks;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b.wsPort(ServerConfig.ANY_FREE_PORT).metricsPort(ServerConfig.ANY_FREE_PORT)
        .maxInboundFrameBytes(MAX_FRAME_BYTES).wsHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS));
    port = fx.wsPort();
    watcher = WsSession.openWatchingAll(port, ROOM, "watcher");
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  /** A new session in the room opens and is seen by the watcher; afterwards only the watcher is left. */
  private void assertUndisturbed() throws Exception {
    checks++;
    WsSession probe = fx.openWs(ROOM, "probe");
    probe.send(update(checks));
    watcher.awaitEvent("probe", x(checks));
    probe.send(Frames.leave());
    probe.awaitSessionEnd();
    Poll.until("only the watcher is left", Duration.ofSeconds(5),
        () -> fx.server().sessionCount() == 1 && fx.server().roomCount() == 1,
        () -> "sessions=" + fx.server().sessionCount() + " rooms=" + fx.server().roomCount());
    watcher.sync();
  }

  private static SessionEnd sessionEndThenClose(RawWebSocket ws) throws IOException {
    List<WsFrame> frames = ws.readUntilClose();
    assertThat(frames).hasSizeGreaterThanOrEqualTo(2);
    SessionEnd end = frames.get(frames.size() - 2).response().getSessionEnd();
    WsFrame close = frames.get(frames.size() - 1);
    assertThat(close.closeCode()).isEqualTo(4000 + end.getCode());
    assertThat(close.closeReason()).isEqualTo(end.getReason());
    return end;
  }

  private static void assertSessionEnd(SessionEnd end, int code, ErrorReason reason) {
    assertThat(end.getCode()).isEqualTo(code);
    assertThat(end.getReason()).isEqualTo(reason.name().substring("ERROR_REASON_".length()));
  }

  private RawWebSocket openedRaw(String user) throws IOException {
    RawWebSocket ws = RawWebSocket.upgraded(port);
    ws.send(Frames.open(ROOM, user));
    assertThat(ws.next().hasOpened()).isTrue();
    return ws;
  }

  @Test
  @DisplayName("PRS-WS-5: a text message ends the call with INVALID_ARGUMENT / MALFORMED_FRAME, before and after opened")
  void textMessages() throws Exception {
    try (RawWebSocket ws = RawWebSocket.upgraded(port)) {
      ws.sendFrame(true, TEXT, "{\"open\":{}}".getBytes(StandardCharsets.UTF_8));
      assertSessionEnd(sessionEndThenClose(ws), 3, ErrorReason.ERROR_REASON_MALFORMED_FRAME);
    }
    assertUndisturbed();
    try (RawWebSocket ws = openedRaw("texter")) {
      ws.sendFrame(false, TEXT, "hel".getBytes(StandardCharsets.UTF_8));
      ws.sendFrame(true, CONTINUATION, "lo".getBytes(StandardCharsets.UTF_8));
      assertSessionEnd(sessionEndThenClose(ws), 3, ErrorReason.ERROR_REASON_MALFORMED_FRAME);
    }
    assertUndisturbed();
  }

  @Test
  @DisplayName("PRS-WS-4, PRS-WS-14: fragmented messages, with a Ping between fragments, are reassembled; the Ping is answered")
  void fragmentedMessages() throws Exception {
    try (RawWebSocket ws = RawWebSocket.upgraded(port)) {
      byte[] open = Frames.open(ROOM, "fragments").toByteArray();
      ws.sendFrame(false, BINARY, Arrays.copyOfRange(open, 0, 3));
      ws.sendFrame(true, PING, "are you there".getBytes(StandardCharsets.UTF_8));
      ws.sendFrame(false, CONTINUATION, Arrays.copyOfRange(open, 3, 10));
      ws.sendFrame(true, CONTINUATION, Arrays.copyOfRange(open, 10, open.length));
      WsFrame pong = ws.readFrame();
      assertThat(pong.opcode()).isEqualTo(PONG);
      assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("are you there");
      assertThat(ws.next().hasOpened()).isTrue();
      byte[] state = update(41).toByteArray();
      ws.sendFrame(false, BINARY, Arrays.copyOfRange(state, 0, 1));
      ws.sendFrame(false, CONTINUATION, new byte[0]);
      ws.sendFrame(true, CONTINUATION, Arrays.copyOfRange(state, 1, state.length));
      watcher.awaitEvent("fragments", x(41));
      ws.sendClose(1000);
      assertThat(ws.readFrame().closeCode()).isEqualTo(1000);
    }
    assertUndisturbed();
  }

  @Test
  @DisplayName("PRS-WS-16, PRS-TRN-6: a message over max_inbound_frame_bytes ends with FRAME_TOO_LARGE, whole or fragmented, before or after opened")
  void oversizedWithinSixteenTimes() throws Exception {
    try (RawWebSocket ws = RawWebSocket.upgraded(port)) {
      ws.sendFrame(true, BINARY, new byte[MAX_FRAME_BYTES + 1]);
      assertSessionEnd(sessionEndThenClose(ws), 8, ErrorReason.ERROR_REASON_FRAME_TOO_LARGE);
    }
    assertUndisturbed();
    try (RawWebSocket ws = openedRaw("big")) {
      ws.sendFrame(false, BINARY, new byte[MAX_FRAME_BYTES]);
      ws.sendFrame(false, CONTINUATION, new byte[MAX_FRAME_BYTES]);
      ws.sendFrame(true, CONTINUATION, new byte[MAX_FRAME_BYTES]);
      assertSessionEnd(sessionEndThenClose(ws), 8, ErrorReason.ERROR_REASON_FRAME_TOO_LARGE);
    }
    assertUndisturbed();
    try (RawWebSocket ws = openedRaw("exact")) {
      // A frame of exactly the limit is decoded: its state is judged, and refused only for its own size.
      byte[] exact = paddedUpdate(MAX_FRAME_BYTES);
      assertThat(exact).hasSize(MAX_FRAME_BYTES);
      ws.sendFrame(true, BINARY, exact);
      ws.send(Frames.ping(5));
      assertThat(ws.next().getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_STATE_TOO_LARGE);
      assertThat(ws.next().getPong().getNonce()).isEqualTo(5);
    }
    assertUndisturbed();
  }

  /**
   * @return an update_state frame whose encoding is exactly {@code size} bytes (its state may be refused); a
   *     second field absorbs the jumps of the length prefixes
   */
  private static byte[] paddedUpdate(int size) {
    for (int pad = size; pad > 0; pad--) {
      for (int extra = 0; extra < 8; extra++) {
        byte[] bytes = Frames.update(com.google.protobuf.Struct.newBuilder()
            .putFields("p", com.google.protobuf.Value.newBuilder().setStringValue("p".repeat(pad)).build())
            .putFields("q", com.google.protobuf.Value.newBuilder().setStringValue("q".repeat(extra)).build())
            .build()).toByteArray();
        if (bytes.length == size) {
          return bytes;
        }
      }
    }
    throw new AssertionError("no padding gives " + size + " bytes");
  }

  @Test
  @DisplayName("PRS-WS-16: a frame announcing more than 16 x max_inbound_frame_bytes is cut with Close 1009 and no session_end")
  void beyondSixteenTimes() throws Exception {
    try (RawWebSocket ws = openedRaw("huge")) {
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      header.write(0x80 | BINARY);
      RawWebSocket.writeLength(header, 16L * MAX_FRAME_BYTES + 1);
      header.writeBytes(new byte[] {1, 2, 3, 4});
      ws.sendRaw(header.toByteArray());
      ws.sendRaw(new byte[64]);
      List<WsFrame> frames = ws.readUntilClose();
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).closeCode()).isEqualTo(1009);
      assertThat(ws.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
    }
    assertUndisturbed();
  }

  @Test
  @DisplayName("PRS-TRN-9, PRS-WS-5: a binary message that is no ConnectRequest is MALFORMED_FRAME: fatal first, a ProtocolError after opened")
  void malformedBinary() throws Exception {
    byte[] garbage = {0x0F, 0x01, 0x02, (byte) 0xFF};
    try (RawWebSocket ws = RawWebSocket.upgraded(port)) {
      ws.sendFrame(true, BINARY, garbage);
      assertSessionEnd(sessionEndThenClose(ws), 3, ErrorReason.ERROR_REASON_MALFORMED_FRAME);
    }
    try (RawWebSocket ws = openedRaw("garbled")) {
      ws.sendFrame(true, BINARY, garbage);
      ConnectResponse error = ws.next();
      assertThat(error.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_MALFORMED_FRAME);
      ws.send(Frames.ping(7));
      assertThat(ws.next().getPong().getNonce()).isEqualTo(7);
    }
    assertUndisturbed();
  }

  @Test
  @DisplayName("PRS-WS-2: no upgrade gets 426 with Upgrade: websocket; a malformed handshake 400; another path 404; each with a text/plain body")
  void refusedHandshakes() throws Exception {
    HttpReply plain = request("GET /presence.v1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(plain.status()).isEqualTo(426);
    assertThat(plain.header("upgrade")).isEqualTo("websocket");
    assertPlainText(plain, "Upgrade");
    String noKey = RawWebSocket.handshake(port).replaceAll("Sec-WebSocket-Key: [^\r]*\r\n", "");
    assertPlainText(expect(400, noKey), "Sec-WebSocket-Key");
    String badKey = RawWebSocket.handshake(port).replaceAll("Sec-WebSocket-Key: [^\r]*", "Sec-WebSocket-Key: c2hvcnQ=");
    assertPlainText(expect(400, badKey), "Sec-WebSocket-Key");
    HttpReply version = expect(400, RawWebSocket.handshake(port).replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));
    assertThat(version.header("sec-websocket-version")).isEqualTo("13");
    assertPlainText(expect(400, RawWebSocket.handshake(port).replace("GET ", "POST ")), "GET");
    assertPlainText(expect(400, RawWebSocket.handshake(port).replace("Connection: Upgrade", "Connection: keep-alive")),
        "Connection");
    assertPlainText(expect(400, RawWebSocket.handshake(port).replace("HTTP/1.1", "HTTP/1.0")), "HTTP");
    assertPlainText(expect(404, RawWebSocket.handshake(port).replace("/presence.v1", "/presence.v2")), "/presence.v1");
    assertPlainText(expect(404, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), "/presence.v1");
    assertPlainText(expect(400, "\u0000\u0001garbage\r\n\r\n"), "HTTP");
    assertUndisturbed();
  }

  @Test
  @DisplayName("PRS-WS-3: a handshake not offering presence.v1 gets 400; the response selects exactly presence.v1, never a bearer entry")
  void subprotocols() throws Exception {
    String none = RawWebSocket.handshake(port, "Sec-WebSocket-Protocol: chat").replace("Sec-WebSocket-Protocol: chat\r\n", "");
    assertPlainText(expect(400, none), "presence.v1");
    assertPlainText(expect(400, RawWebSocket.handshake(port, "Sec-WebSocket-Protocol: chat, presence.v2")), "presence.v1");
    String bearer = WsSession.bearerEntry("secret-token");
    try (RawWebSocket ws = RawWebSocket.connect(port)) {
      HttpReply reply = ws.request(RawWebSocket.handshake(port, "Sec-WebSocket-Protocol: " + bearer + ", presence.v1"));
      assertThat(reply.status()).isEqualTo(101);
      assertThat(reply.header("sec-websocket-protocol")).isEqualTo("presence.v1");
    }
    assertUndisturbed();
  }

  @Test
  @DisplayName("PRS-WS-8, PRS-WS-9: a foreign Origin gets 403; the same origin or none is upgraded, and no extension is ever accepted")
  void originsAndExtensions() throws Exception {
    assertPlainText(expect(403, RawWebSocket.handshake(port, "Origin: https://evil.example")), "Origin");
    assertPlainText(expect(403, RawWebSocket.handshake(port, "Origin: http://127.0.0.1:" + (port + 1))), "Origin");
    assertPlainText(expect(403, RawWebSocket.handshake(port, "Origin: null")), "Origin");
    try (RawWebSocket ws = RawWebSocket.connect(port)) {
      HttpReply reply = ws.request(RawWebSocket.handshake(port, "Origin: http://127.0.0.1:" + port,
          "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"));
      assertThat(reply.status()).isEqualTo(101);
      assertThat(reply.headers()).doesNotContainKey("sec-websocket-extensions");
    }
    assertUndisturbed();
  }

  @Test
  @DisplayName("PRS-WS-17: a connection that has not completed its handshake in time is closed, partial or silent")
  void slowloris() throws Exception {
    long started = System.nanoTime();
    try (RawWebSocket partial = RawWebSocket.connect(port); RawWebSocket silent = RawWebSocket.connect(port)) {
      partial.sendRaw("GET /presence.v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
      Duration bound = Duration.ofMillis(HANDSHAKE_TIMEOUT_MILLIS).plus(TOLERANCE);
      assertThat(partial.closedByServerWithin(bound)).as("partial handshake closed").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(
          Duration.ofMillis(HANDSHAKE_TIMEOUT_MILLIS));
      assertThat(silent.closedByServerWithin(bound)).as("silent connection closed").isTrue();
    }
    assertUndisturbed();
  }

  @Test
  @DisplayName("A connection that breaks the framing after the upgrade (unmasked frames, garbage) is closed; nothing leaks")
  void garbageAfterUpgrade() throws Exception {
    try (RawWebSocket ws = openedRaw("garbage")) {
      ws.sendRaw(new byte[] {(byte) 0x82, 0x03, 1, 2, 3});
      assertThat(ws.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
    }
    try (RawWebSocket ws = RawWebSocket.upgraded(port)) {
      ws.sendRaw(new byte[] {(byte) 0xF7, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 0});
      assertThat(ws.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
    }
    assertUndisturbed();
    MetricsScrape metrics = fx.scrape("/metrics");
    assertThat(metrics.value("presence_sessions")).isEqualTo(1);
    assertThat(metrics.value("presence_rooms")).isEqualTo(1);
    assertThat(metrics.value("presence_errors_fatal_total",
        Map.of("code", "INVALID_ARGUMENT", "reason", "MALFORMED_FRAME"))).isZero();
  }

  private HttpReply request(String request) throws IOException {
    try (RawWebSocket ws = RawWebSocket.connect(port)) {
      HttpReply reply = ws.request(request);
      assertThat(ws.closedByServerWithin(Duration.ofSeconds(5))).as("closed after %s", reply.status()).isTrue();
      return reply;
    }
  }

  private HttpReply expect(int status, String request) throws IOException {
    HttpReply reply = request(request);
    assertThat(reply.status()).as("answer to %s: %s", request, reply).isEqualTo(status);
    return reply;
  }

  private static void assertPlainText(HttpReply reply, String mentions) {
    assertThat(reply.header("content-type")).startsWith("text/plain");
    assertThat(reply.body()).contains(mentions);
  }
}
