package dev.presence.server.it;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static dev.presence.server.support.RawWebSocket.BINARY;
import static dev.presence.server.support.RawWebSocket.PING;
import static dev.presence.server.support.RawWebSocket.PONG;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.support.Frames;
import dev.presence.server.support.RawWebSocket;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PRS-WS-15: a WebSocket subscriber that stops reading makes its connection stop accepting writes; the server
 * then coalesces instead of buffering, and the subscriber, once it reads again, catches up with the latest state.
 * The assertions are on the server's pending structure and counters, never on heap readings.
 */
class WebSocketFlowControlIT {
  private static final int USERS = 20;
  private static final int HZ = 20;
  private static final Duration STALL = Duration.ofSeconds(4);
  private static final String PAD = "p".repeat(4000);

  private ServerFixture fx;
  private ScheduledExecutorService writers;

  @AfterEach
  void stop() throws Exception {
    if (writers != null) {
      writers.shutdownNow();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private static Struct state(int x) {
    return Frames.paddedState(x, PAD);
  }

  @Test
  @DisplayName("PRS-WS-15, PRS-THR-9: a stalled WebSocket '*' subscriber holds at most one pending event per user, then gets every user's latest state")
  void stalledReaderIsBoundedAndCatchesUp() throws Exception {
    fx = ServerFixture.startMetered(b -> b.wsPort(ServerConfig.ANY_FREE_PORT).maxSessionsPerRoom(100));
    // A tiny receive buffer, and no reads: the server's writes back up within a second.
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), fx.wsPort()));
    try (RawWebSocket stalled = RawWebSocket.wrap(socket)) {
      assertThat(stalled.request(RawWebSocket.handshake(fx.wsPort())).status()).isEqualTo(101);
      stalled.send(Frames.open("busy", "stalled"));
      stalled.send(subscribe(1, "everyone", all()));
      while (!stalled.next().hasSnapshotComplete()) {
        // the snapshot of an empty room, then its end
      }

      ManagedChannel channel = fx.channel();
      List<TestSession> users = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        users.add(TestSession.open(channel, "busy", "u" + i));
      }
      AtomicInteger tick = new AtomicInteger();
      writers = Executors.newSingleThreadScheduledExecutor();
      writers.scheduleAtFixedRate(() -> {
        int t = tick.incrementAndGet();
        for (TestSession u : users) {
          u.send(update(state(t)));
        }
      }, 0, 1000 / HZ, TimeUnit.MILLISECONDS);

      // A Ping a second keeps the stalled client alive without reading (PRS-WS-14).
      writers.scheduleAtFixedRate(() -> {
        try {
          stalled.sendFrame(true, PING, new byte[0]);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, 0, 1, TimeUnit.SECONDS);
      // Sampled throughout; the high-water mark covers the moments between samples.
      long end = System.nanoTime() + STALL.toNanos();
      while (System.nanoTime() < end) {
        assertThat(fx.pendingHighWater()).isLessThanOrEqualTo(USERS);
        TimeUnit.MILLISECONDS.sleep(200);
      }
      writers.shutdown();
      assertThat(writers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      int last = tick.get();

      assertThat(fx.pendingHighWater()).isEqualTo(USERS);
      assertThat(fx.scrape("/metrics").value("presence_states_coalesced_total", Map.of("stage", "subscriber")))
          .isGreaterThan(0);

      Map<String, Double> latest = new HashMap<>();
      int received = 0;
      long receivedBytes = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!allAt(latest, last)) {
        assertThat(System.nanoTime()).as("caught up before the deadline: %s", latest).isLessThan(deadline);
        RawWebSocket.WsFrame f = stalled.readFrame();
        if (f.opcode() == PING) {
          stalled.sendFrame(true, PONG, f.payload());
        } else if (f.opcode() == BINARY) {
          ConnectResponse r = f.response();
          receivedBytes += f.payload().length;
          for (PresenceEvent e : r.getPresence().getEventsList()) {
            if (e.hasState()) {
              received++;
              latest.put(e.getUserId(), e.getState().getFieldsOrThrow("x").getNumberValue());
            }
          }
        }
      }
      // What the server held back while the connection did not accept writes was coalesced, not buffered: what
      // arrived is what was buffered, within 16 x max_outbound_frame_bytes, plus one latest state per user.
      assertThat(received).isLessThan(USERS * last / 2);
      long catchUp = USERS * (PAD.length() + 100L);
      assertThat(receivedBytes).isLessThanOrEqualTo(16L * fx.config().maxOutboundFrameBytes() + catchUp);
      users.get(0).sync();
    }
  }

  private static boolean allAt(Map<String, Double> latest, int last) {
    for (int i = 0; i < USERS; i++) {
      if (latest.getOrDefault("u" + i, -1.0) != last) {
        return false;
      }
    }
    return true;
  }
}
