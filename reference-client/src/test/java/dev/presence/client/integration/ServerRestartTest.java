package dev.presence.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.ConnectionState;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.SyncTarget;
import dev.presence.client.testing.Covers;
import dev.presence.client.testing.Harness.Recorder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PRS-RCN-1 and PRS-RCN-2 against a real restart: the server is shut down and a new, empty one starts on the same
 * port. The clients reopen, re-send their state and resubscribe; a watching client ends with exactly the users
 * that came back, having seen no duplicate event and no null it was not owed.
 */
@Covers("PRS-RCN-1")
@Covers("PRS-RCN-2")
class ServerRestartTest {
  private RealServer server;
  private WireTap tap;

  @AfterEach
  void stop() throws Exception {
    if (tap != null) {
      tap.close();
    }
    server.close();
  }

  private static List<ConnectionState> states(PresenceClient client) {
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    client.onConnectionState((state, cause) -> states.add(state));
    return states;
  }

  private static boolean reconnected(List<ConnectionState> states) {
    return states.contains(ConnectionState.RECONNECTING) && states.get(states.size() - 1) == ConnectionState.CONNECTED;
  }

  private static boolean lastIsAdasMove(Recorder seen) {
    List<PresenceChange> changes = List.copyOf(seen.changes);
    PresenceChange last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
    return last != null && last.userId().equals("ada") && !last.isNull() && last.state().has("moved");
  }

  private static Set<String> statesSeen(Recorder seen) {
    return seen.changes.stream().filter(c -> !c.isNull()).map(PresenceChange::userId).collect(Collectors.toSet());
  }

  @Test
  void gracefulRestartLeavesNoGhostsAndNoDuplicates() throws Exception {
    server = RealServer.start(b -> b);
    PresenceClient ada = server.client("r", "ada");
    PresenceClient bob = server.client("r", "bob");
    PresenceClient eve = server.client("r", "eve");
    List<ConnectionState> eveStates = states(eve);
    Recorder seen = new Recorder();
    eve.presence().sync(SyncTarget.all(), seen);
    ada.presence().update(Map.of("who", "ada"));
    bob.presence().update(Map.of("who", "bob"));
    RealServer.await("eve sees ada and bob", () -> eve.presence().getStates().keySet().equals(Set.of("ada", "bob")));

    server.stop();
    // Bob does not come back; ada and eve reconnect on their own.
    bob.close();
    server.startAgainOnSamePort();

    RealServer.await("eve reconnected", () -> reconnected(eveStates));
    RealServer.await("eve's view is the restarted room: ada only, bob gone",
        () -> eve.presence().getStates().keySet().equals(Set.of("ada"))
            && eve.users().all().keySet().equals(Set.of("ada", "eve")));
    // A last move by ada, seen by eve, proves every earlier event about the restart has been delivered.
    ada.presence().update(Map.of("who", "ada", "moved", true));
    RealServer.await("eve's listener gets ada's move", () -> lastIsAdasMove(seen));

    ChangeChecks.noGhostNullsOrDuplicates("eve's all-users sync", seen.changes);
    assertThat(eve.presence().getStates()).containsOnlyKeys("ada");
    assertThat(eve.users().all()).containsOnlyKeys("ada", "eve");
    assertThat(seen.changes.stream().filter(c -> c.userId().equals("bob")).toList())
        .as("bob: his state, then one null").hasSize(2)
        .last().matches(PresenceChange::isNull);
  }

  @Test
  void aWatcherThatMissedTheRestartGetsExactlyTheDifference() throws Exception {
    server = RealServer.start(b -> b);
    // Eve reaches the server through a tap that can be cut, so that she misses everything the old server said
    // while going down and must work out the difference from the new server's snapshot.
    tap = new WireTap(server.port());
    PresenceClient ada = server.client("r", "ada");
    PresenceClient bob = server.client("r", "bob");
    PresenceClient eve = server.connect(PresenceClient.builder().target(tap.target()), "r", "eve");
    List<ConnectionState> eveStates = states(eve);
    List<ConnectionState> adaStates = states(ada);
    Recorder seen = new Recorder();
    eve.presence().sync(SyncTarget.all(), seen);
    ada.presence().update(Map.of("who", "ada"));
    bob.presence().update(Map.of("who", "bob"));
    // Waits on the listener, not the cache: the cache is updated first and the listener runs later on the
    // callback thread, so 'before' could miss these two states and count them as events after the cut.
    RealServer.await("eve's listener sees ada and bob", () -> eve.presence().getStates().keySet()
        .equals(Set.of("ada", "bob")) && statesSeen(seen).equals(Set.of("ada", "bob")));
    int before = seen.changes.size();

    tap.cut();
    server.stop();
    bob.close();
    server.startAgainOnSamePort();
    RealServer.await("ada reconnected", () -> reconnected(adaStates));
    // Ada re-sends her unchanged state on the new server; a probe proves the server has it before eve returns.
    PresenceClient probe = server.client("r", "probe");
    Recorder probeSees = new Recorder();
    probe.presence().sync(SyncTarget.user("ada"), probeSees);
    RealServer.await("the new server has ada's state", () -> !probeSees.changes.isEmpty());
    tap.restore();

    RealServer.await("eve reconnected", () -> reconnected(eveStates));
    RealServer.await("eve's view is the restarted room",
        () -> eve.presence().getStates().keySet().equals(Set.of("ada"))
            && eve.users().all().keySet().equals(Set.of("ada", "eve", "probe")));
    ada.presence().update(Map.of("who", "ada", "moved", true));
    RealServer.await("eve's listener gets ada's move", () -> lastIsAdasMove(seen));

    List<PresenceChange> all = List.copyOf(seen.changes);
    List<PresenceChange> afterCut = all.subList(before, all.size());
    // Bob is gone: one null. Ada's state did not change: nothing, until her move.
    assertThat(afterCut).extracting(c -> c.userId() + (c.isNull() ? " null " + c.reason() : " state"))
        .containsExactly("bob null LEFT", "ada state");
    assertThat(afterCut.get(1).state().has("moved")).isTrue();
    ChangeChecks.noGhostNullsOrDuplicates("eve's all-users sync", seen.changes);
  }
}
