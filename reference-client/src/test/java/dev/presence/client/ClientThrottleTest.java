package dev.presence.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.client.testing.MutableClock;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Ping;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The throttle as wired into the client (SPEC §7.1), on a clock that only the test moves, so that "inside the
 * window" does not depend on how fast the machine is.
 */
@Covers("PRS-THC-1")
@Covers("PRS-THC-2")
@Covers("PRS-THC-3")
@Covers("PRS-THC-4")
@Covers("PRS-THC-5")
class ClientThrottleTest {
  private final MutableClock clock = new MutableClock();
  private final Harness h = new Harness(PresenceClient.builder().devIdentity("me", "Me").clock(clock));

  @AfterEach
  void close() {
    h.close();
  }

  private static double n(ConnectRequest r) {
    return State.of(r.getUpdateState().getState()).getDouble("n");
  }

  @Test
  void leadingEdgeThenOnlyTheLatestWhenTheWindowEnds() {
    Conn conn = h.connect();
    h.client.presence().update(Map.of("n", 1, "cursor", Map.of("x", 1, "y", 2)));
    ConnectRequest first = conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    assertThat(n(first)).isEqualTo(1.0);
    assertThat(State.of(first.getUpdateState().getState()).pathDouble("cursor.y")).hasValue(2.0);
    h.client.presence().update(Map.of("n", 2));
    h.client.presence().update(Map.of("n", 3));
    // Own state is readable before it is sent.
    assertThat(h.client.presence().getState().getDouble("n")).isEqualTo(3.0);
    conn.barrier();
    assertThat(conn.unread()).as("frames sent inside the window").isEmpty();
    clock.advance(50);
    ConnectRequest trailing = conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    assertThat(n(trailing)).isEqualTo(3.0);
  }

  @Test
  void clearGoesOutAtOnceAndDiscardsThePendingState() {
    Conn conn = h.connect();
    h.client.presence().update(Map.of("n", 1));
    conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    h.client.presence().update(Map.of("n", 2));
    h.client.presence().clear();
    assertThat(h.client.presence().getState()).isNull();
    conn.expect(ConnectRequest.FrameCase.CLEAR_STATE);
    clock.advance(50);
    h.client.presence().update(Map.of("n", 3));
    // The window had passed, so this is a leading send; n=2 was never sent.
    assertThat(n(conn.expect(ConnectRequest.FrameCase.UPDATE_STATE))).isEqualTo(3.0);
  }

  @Test
  void advertisedWindowIsUsed() {
    h.client.connect();
    Conn conn = h.server.awaitConnection();
    conn.open(FakePresenceServer.defaultLimits().setThrottleWindowMillis(200).build(), "me", "me");
    // The client handles opened on its own thread. Updating before it has would test the state re-sent on open
    // (the next test), and moving the clock meanwhile would race with the clock reads of that handling. The
    // client reports CONNECTED under its lock after adopting the limits, so this waits for all of it.
    awaitConnected();
    h.client.presence().update(Map.of("n", 1));
    conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    clock.advance(100);
    h.client.presence().update(Map.of("n", 2));
    conn.barrier();
    // Inside the advertised 200 ms; with the default 50 ms, n=2 would have gone out at once.
    assertThat(conn.unread()).as("frames sent inside the advertised window").isEmpty();
    clock.advance(100);
    assertThat(n(conn.expect(ConnectRequest.FrameCase.UPDATE_STATE))).isEqualTo(2.0);
  }

  @Test
  void stateSetBeforeOpenedIsSentOnOpenAndStartsTheAdvertisedWindow() {
    h.client.connect();
    Conn conn = h.server.awaitConnection();
    // The session cannot open before the test answers, so this state can only go out when it does (PRS-RCN-2).
    h.client.presence().update(Map.of("n", 1));
    conn.open(FakePresenceServer.defaultLimits().setThrottleWindowMillis(200).build(), "me", "me");
    assertThat(n(conn.expect(ConnectRequest.FrameCase.UPDATE_STATE))).isEqualTo(1.0);
    // The frame arrives while the client is still handling opened; the clock moves only once it is done.
    awaitConnected();
    clock.advance(100);
    h.client.presence().update(Map.of("n", 2));
    conn.barrier();
    assertThat(conn.unread()).as("frames sent inside the advertised window").isEmpty();
    // W after the re-sent state, the pending one goes out (PRS-THC-3).
    clock.advance(100);
    assertThat(n(conn.expect(ConnectRequest.FrameCase.UPDATE_STATE))).isEqualTo(2.0);
  }

  @Covers("PRS-LIV-5")
  @Covers("PRS-LIV-3")
  @Test
  void serverPingIsAnsweredAtOnceWhileAnUpdateWaitsForItsWindow() {
    Conn conn = h.connect();
    h.client.presence().update(Map.of("n", 1));
    conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    h.client.presence().update(Map.of("n", 2));
    conn.send(ConnectResponse.newBuilder().setPing(Ping.newBuilder().setNonce(77)).build());
    assertThat(conn.expect(ConnectRequest.FrameCase.PONG).getPong().getNonce()).isEqualTo(77);
    clock.advance(50);
    assertThat(n(conn.expect(ConnectRequest.FrameCase.UPDATE_STATE))).isEqualTo(2.0);
  }

  private void awaitConnected() {
    Harness.await("the client to report CONNECTED",
        () -> h.client.connectionState() == ConnectionState.CONNECTED);
  }
}
