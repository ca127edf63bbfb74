package dev.presence.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.ConnectionState;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.SyncTarget;
import dev.presence.client.testing.Covers;
import dev.presence.client.testing.Harness.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md §13.2 against the reference server: while it drains, both clients move to new sessions (on the same server,
 * the only one there is) and leave the old ones; nobody sees a null and neither application sees its connection
 * change until the server ends the sessions at the deadline.
 */
class DrainingServerTest {
  private static final Pattern LEAVES =
      Pattern.compile("presence_sessions_ended_total\\{how=\"leave\"[^}]*} ([0-9.]+)");
  private RealServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private static List<ConnectionState> states(PresenceClient client) {
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    client.onConnectionState((state, cause) -> states.add(state));
    return states;
  }

  private double leaves() {
    Matcher m = LEAVES.matcher(server.server().scrapeMetrics());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Covers("PRS-DRN-6")
  @Covers("PRS-DRN-7")
  @Test
  void bothClientsMoveAndNobodySeesThemLeave() throws Exception {
    server = RealServer.start(b -> b);
    PresenceClient ada = server.client("r", "ada");
    PresenceClient eve = server.client("r", "eve");
    List<ConnectionState> adaStates = states(ada);
    List<ConnectionState> eveStates = states(eve);
    Recorder seen = new Recorder();
    eve.presence().sync(SyncTarget.all(), seen);
    ada.presence().update(Map.of("who", "ada"));
    RealServer.await("eve sees ada", () -> eve.presence().getState("ada") != null);
    double leavesBefore = leaves();

    CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
      try {
        return server.server().drainAndShutdown(Duration.ofSeconds(8), Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    RealServer.await("both old sessions left", () -> leaves() >= leavesBefore + 2);
    ada.presence().update(Map.of("who", "ada", "moved", true));
    RealServer.await("eve sees ada's update through the new sessions",
        () -> eve.presence().getState("ada") != null && eve.presence().getState("ada").has("moved"));

    assertThat(seen.changes).noneMatch(PresenceChange::isNull);
    assertThat(eve.users().all()).containsOnlyKeys("ada", "eve");
    // Subscribed after connecting, so nothing at all is the expected record of a move nobody notices.
    assertThat(adaStates).isEmpty();
    assertThat(eveStates).isEmpty();
    assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
  }
}
