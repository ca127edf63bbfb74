package dev.presence.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.PresenceClient;
import dev.presence.client.State;
import dev.presence.client.SyncTarget;
import dev.presence.client.testing.Harness.Recorder;
import dev.presence.client.testing.MutableClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's throttle (SPEC §7.1) as the wire shows it: the client talks to the reference server through a
 * {@link WireTap} that records every frame, and a second client watches what the server makes of them.
 */
class ThrottleOnTheWireTest {
  private static final int WINDOW = 100;
  private RealServer server;
  private WireTap tap;

  @AfterEach
  void stop() throws Exception {
    if (tap != null) {
      tap.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static double n(WireTap.Seen seen) {
    return State.of(seen.frame().getUpdateState().getState()).getDouble("n");
  }

  @Test
  void leadingSendAfterIdleThenOnlyTheLatestWhenTheWindowEnds() throws Exception {
    server = RealServer.start(b -> b.throttleWindowMillis(WINDOW));
    tap = new WireTap(server.port());
    // The client's clock only moves when the test says so: with it frozen, only a leading send can go out.
    MutableClock clock = new MutableClock();
    PresenceClient ada = server.connect(PresenceClient.builder().target(tap.target()).clock(clock), "r", "ada");
    PresenceClient eve = server.client("r", "eve");
    Recorder seenByEve = new Recorder();
    eve.presence().sync(SyncTarget.user("ada"), seenByEve);

    ada.presence().update(Map.of("n", 1));
    RealServer.await("the leading update on the wire", () -> tap.updates().size() == 1);
    ada.presence().update(Map.of("n", 2));
    ada.presence().update(Map.of("n", 3));
    // A follow is answered in order on the same stream, so once its ack is back the tap has seen every frame
    // the client sent before it.
    ada.users().follow("nobody").get(RealServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(tap.updates()).extracting(ThrottleOnTheWireTest::n).containsExactly(1.0);

    clock.advance(WINDOW);
    RealServer.await("the trailing update on the wire", () -> tap.updates().size() == 2);
    assertThat(tap.updates()).extracting(ThrottleOnTheWireTest::n).containsExactly(1.0, 3.0);
    RealServer.await("eve sees the latest state", () -> !seenByEve.changes.isEmpty()
        && seenByEve.changes.get(seenByEve.changes.size() - 1).state().getDouble("n") == 3.0);
    assertThat(seenByEve.changes).noneMatch(c -> c.state() != null && c.state().getDouble("n") == 2.0);

    // A quiet window later the next update is a leading send again, with the clock frozen once more.
    clock.advance(WINDOW);
    ada.presence().update(Map.of("n", 4));
    RealServer.await("the next leading update on the wire", () -> tap.updates().size() == 3);
    assertThat(tap.updates()).extracting(ThrottleOnTheWireTest::n).containsExactly(1.0, 3.0, 4.0);
  }

  @Test
  void aBurstGoesOutAtMostOncePerWindowInOrderEndingWithTheLastState() throws Exception {
    server = RealServer.start(b -> b.throttleWindowMillis(WINDOW));
    tap = new WireTap(server.port());
    PresenceClient ada = server.connect(PresenceClient.builder().target(tap.target()), "r", "ada");
    PresenceClient eve = server.client("r", "eve");
    Recorder seenByEve = new Recorder();
    eve.presence().sync(SyncTarget.user("ada"), seenByEve);

    int last = 0;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(8 * WINDOW);
    while (System.nanoTime() < end) {
      ada.presence().update(Map.of("n", ++last));
      // Pacing only shapes the workload (many updates per window); no assertion depends on it.
      Thread.sleep(1);
    }
    int lastSet = last;
    RealServer.await("the last state on the wire", () -> {
      List<WireTap.Seen> u = tap.updates();
      return !u.isEmpty() && n(u.get(u.size() - 1)) == lastSet;
    });
    List<WireTap.Seen> updates = tap.updates();
    assertThat(updates.size()).as("updates on the wire for %d set", lastSet).isLessThan(lastSet);
    for (int i = 1; i < updates.size(); i++) {
      assertThat(n(updates.get(i))).as("update %d is newer than the one before", i)
          .isGreaterThan(n(updates.get(i - 1)));
      // The client decides on its own clock; arrival on loopback may bunch two frames by a few ms of scheduling.
      long gapMillis = TimeUnit.NANOSECONDS.toMillis(updates.get(i).arrivedNanos() - updates.get(i - 1).arrivedNanos());
      assertThat(gapMillis).as("gap before update %d (window %d ms, tolerance 40 ms)", i, WINDOW)
          .isGreaterThanOrEqualTo(WINDOW - 40);
    }
    RealServer.await("eve sees the last state", () -> !seenByEve.changes.isEmpty()
        && seenByEve.changes.get(seenByEve.changes.size() - 1).state().getDouble("n") == lastSet);
  }
}
