package dev.presence.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.ConnectionState;
import dev.presence.client.PresenceClient;
import dev.presence.client.SyncTarget;
import dev.presence.client.testing.Covers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PRS-LIV-9 against a blackholed path: the client reaches the reference server through a TCP proxy that stops
 * forwarding, so the connection stays open but nothing arrives. With {@code leave_detection_millis} = 2000 the
 * client probes after 1 s of silence and gives the connection up 1 s later, then reconnects once the path heals.
 */
@Covers("PRS-LIV-9")
class DeadServerTest {
  private static final int LEAVE_DETECTION_MILLIS = 2_000;
  private RealServer server;
  private TcpProxy proxy;

  @AfterEach
  void stop() throws Exception {
    server.close();
    proxy.close();
  }

  @Test
  void aSilentConnectionIsGivenUpAfterTheBoundAndTheClientComesBackWhenThePathHeals() throws Exception {
    // Server pings off: only the client's own probing can notice the silence.
    server = RealServer.start(b -> b.leaveDetectionMillis(LEAVE_DETECTION_MILLIS).pingIntervalMillis(0));
    proxy = new TcpProxy(server.port());
    PresenceClient ada = server.connect(PresenceClient.builder().target(proxy.target()), "r", "ada");
    PresenceClient eve = server.client("r", "eve");
    List<ConnectionState> adaStates = new CopyOnWriteArrayList<>();
    ada.onConnectionState((state, cause) -> adaStates.add(state));
    eve.presence().sync(SyncTarget.user("ada"), change -> { });
    ada.presence().update(Map.of("here", true));
    RealServer.await("eve sees ada", () -> eve.presence().getState("ada") != null);

    long blackholedAt = System.nanoTime();
    proxy.blackhole();
    RealServer.await("ada gives the silent connection up", () -> adaStates.contains(ConnectionState.RECONNECTING));
    long detectedAfterMillis = (System.nanoTime() - blackholedAt) / 1_000_000;
    assertThat(detectedAfterMillis).as("no sooner than a probe left unanswered for half the bound")
        .isGreaterThanOrEqualTo(LEAVE_DETECTION_MILLIS / 2);
    assertThat(detectedAfterMillis).as("within the bound, with slack for a loaded machine")
        .isLessThan(LEAVE_DETECTION_MILLIS + 2_000);

    proxy.heal();
    RealServer.await("ada reconnected", () -> adaStates.get(adaStates.size() - 1) == ConnectionState.CONNECTED);
    ada.presence().update(Map.of("here", true, "back", true));
    RealServer.await("eve sees ada's state from the new session",
        () -> eve.presence().getState("ada") != null && eve.presence().getState("ada").has("back"));
  }
}
