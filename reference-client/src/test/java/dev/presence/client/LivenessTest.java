package dev.presence.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Pong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client notices a server that stopped answering, using the advertised leave detection bound. */
@Covers("PRS-LIV-9")
class LivenessTest {
  private static final long ARRIVAL_JITTER_MILLIS = 50;

  @Test
  void silentServerIsPingedThenAbandonedForANewSession() {
    try (Harness h = new Harness()) {
      h.client.connect();
      Conn conn = h.server.awaitConnection();
      conn.open(FakePresenceServer.defaultLimits().setLeaveDetectionMillis(200).build(), "me", "me");
      ConnectRequest ping = conn.expect(ConnectRequest.FrameCase.PING);
      assertThat(ping.getPing().getNonce()).isNotZero();
      // No pong: within the detection bound (plus slack for slow machines) the client gives up on this call.
      conn.awaitClientEnd();
      Conn again = h.server.awaitConnection();
      again.open("me", "me");
      Harness.await("CONNECTED again", () -> h.connectionStates.size() >= 4);
      assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
          ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
    }
  }

  @Test
  void answeredProbesKeepTheSessionAndComeAtMostOncePerSecond() {
    try (Harness h = new Harness()) {
      h.client.connect();
      Conn conn = h.server.awaitConnection();
      conn.open(FakePresenceServer.defaultLimits().setLeaveDetectionMillis(100).build(), "me", "me");
      long previous = 0;
      for (int i = 0; i < 3; i++) {
        ConnectRequest ping = conn.expect(ConnectRequest.FrameCase.PING);
        long at = System.nanoTime();
        if (i > 0) {
          // Sent at least 1000 ms apart by the client's clock; arrivals may come closer by delivery jitter.
          assertThat(at - previous).as("probe spacing on arrival").isGreaterThanOrEqualTo(
              TimeUnit.MILLISECONDS.toNanos(1_000 - ARRIVAL_JITTER_MILLIS));
        }
        previous = at;
        conn.send(ConnectResponse.newBuilder()
            .setPong(Pong.newBuilder().setNonce(ping.getPing().getNonce())).build());
      }
      assertThat(conn.clientEnded()).isFalse();
      assertThat(h.server.waitingConnections()).isZero();
    }
  }
}
