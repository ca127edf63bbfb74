package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.update;
import static dev.presence.server.support.RawWebSocket.PING;
import static dev.presence.server.support.RawWebSocket.PONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.support.Frames;
import dev.presence.server.support.RawWebSocket;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import dev.presence.server.support.WsSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Liveness on the WebSocket binding: the server's Ping probe (PRS-WS-13) and the client's Pings (PRS-WS-14). */
class WebSocketLivenessIT {
  private static final int LEAVE_DETECTION_MILLIS = 1000;
  private static final int WINDOW_MILLIS = 50;
  /** Scheduling slack on a loaded machine, on top of the bound the server promises. */
  private static final Duration TOLERANCE = Duration.ofMillis(1500);
  private ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.startWithWebSocket(b -> b.leaveDetectionMillis(LEAVE_DETECTION_MILLIS)
        .pingIntervalMillis(0).throttleWindowMillis(WINDOW_MILLIS));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("PRS-WS-13, PRS-LIV-1: a WebSocket client that stops answering Pings gives one TIMED_OUT null within leave_detection + W")
  void silentClientTimesOut() throws Exception {
    TestSession watcher = fx.openWatchingAll("live", "watcher");
    try (RawWebSocket silent = RawWebSocket.upgraded(fx.wsPort())) {
      silent.send(Frames.open("live", "silent"));
      assertThat(silent.next().hasOpened()).isTrue();
      silent.send(update(1));
      watcher.awaitEvent("silent", x(1));
      long silentSince = System.nanoTime();
      TestSession.Received nullEvent = watcher.awaitReceived("TIMED_OUT null about silent", f -> f.hasPresence()
          && f.getPresence().getEventsList().stream()
              .anyMatch(e -> e.getUserId().equals("silent") && nullWith(NullReason.NULL_REASON_TIMED_OUT).test(e)));
      Duration took = Duration.ofNanos(nullEvent.atNanos() - silentSince);
      assertThat(took).isLessThanOrEqualTo(Duration.ofMillis(LEAVE_DETECTION_MILLIS + WINDOW_MILLIS).plus(TOLERANCE));
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(LEAVE_DETECTION_MILLIS / 2));
      assertThat(watcher.await("member_left", ConnectResponse::hasMemberLeft).getMemberLeft().getReason())
          .isEqualTo(NullReason.NULL_REASON_TIMED_OUT);
      // The probe was a WebSocket Ping, which this client received and left unanswered.
      assertThat(silent.readFrame().opcode()).isEqualTo(PING);
    }
    assertThat(fx.server().sessionCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("PRS-WS-13: a WebSocket client that answers Pings stays, however long it sends no frame")
  void answeringClientStays() {
    TestSession watcher = fx.openWatchingAll("live", "watcher");
    WsSession quiet = fx.openWs("live", "quiet");
    quiet.send(update(1));
    watcher.awaitEvent("quiet", x(1));
    assertThat(Events.about("quiet", watcher.drainFor(Duration.ofMillis(3L * LEAVE_DETECTION_MILLIS)))).isEmpty();
    quiet.sync();
  }

  @Test
  @DisplayName("PRS-WS-14: client Pings are answered with Pongs carrying their payload, and never end the session")
  void clientPingsAnswered() throws Exception {
    try (RawWebSocket ws = RawWebSocket.upgraded(fx.wsPort())) {
      ws.send(Frames.open("live", "pinger"));
      assertThat(ws.next().hasOpened()).isTrue();
      for (int i = 0; i < 3; i++) {
        byte[] payload = ("ping " + i).getBytes(StandardCharsets.UTF_8);
        ws.sendFrame(true, PING, payload);
        RawWebSocket.WsFrame answer = ws.readFrame();
        while (answer.opcode() == PING) {
          ws.sendFrame(true, PONG, answer.payload());
          answer = ws.readFrame();
        }
        assertThat(answer.opcode()).isEqualTo(PONG);
        assertThat(answer.payload()).isEqualTo(payload);
      }
      ws.send(Frames.ping(9));
      assertThat(ws.next().getPong().getNonce()).isEqualTo(9);
    }
  }
}
