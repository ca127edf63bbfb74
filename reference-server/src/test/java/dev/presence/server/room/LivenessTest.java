package dev.presence.server.room;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.ping;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.User;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.session.Session;
import com.google.rpc.Code;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Idle timeout and server pings on a fake clock. */
class LivenessTest {
  @Test
  @DisplayName("PRS-LIV-2: a session silent for the idle timeout ends DEADLINE_EXCEEDED; any frame restarts the wait")
  void idleTimeout() {
    RoomHarness h = new RoomHarness(ServerConfig.builder().idleTimeoutMillis(1000).build());
    RoomHarness.Client a = h.open("r", "alice");
    h.time.advance(900);
    a.send(update(1));
    h.time.advance(900);
    assertThat(a.call.closedWith).isNull();
    h.time.advance(100);
    assertThat(a.call.closedWith.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
  }

  @Test
  @DisplayName("PRS-LIV-4/PRS-LIV-1: unanswered pings end the session within leave detection; answered ones keep it")
  void pingTimeout() {
    RoomHarness h = new RoomHarness(ServerConfig.builder().pingIntervalMillis(2000).leaveDetectionMillis(5000).build());
    RoomHarness.Client b = h.open("r", "bob");
    b.send(subscribe(1, "all", all()));
    Room room = h.registry.acquire("r");
    FakeCall call = new FakeCall(h.time);
    Session alice = new Session("p", User.newBuilder().setUserId("alice").build(), call, true, Long.MAX_VALUE);
    room.executor().execute(() -> room.open(alice));
    room.executor().execute(() -> room.onFrame(alice, update(1)));
    h.time.runDue();
    for (int i = 0; i < 3; i++) {
      h.time.advance(2000);
      ConnectResponse ping = call.sent.get(call.sent.size() - 1).frame();
      assertThat(ping.hasPing()).isTrue();
      long nonce = ping.getPing().getNonce();
      room.executor().execute(() -> room.onFrame(alice,
          ConnectRequest.newBuilder().setPong(Pong.newBuilder().setNonce(nonce)).build()));
    }
    assertThat(call.closedWith).isNull();
    long lastAnswerAt = h.time.nowMillis();
    h.time.advance(2000);
    assertThat(call.sent.get(call.sent.size() - 1).frame().hasPing()).isTrue();
    h.time.advance(2999);
    assertThat(call.closedWith).isNull();
    h.time.advance(1);
    assertThat(call.closedWith.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
    assertThat(h.time.nowMillis() - lastAnswerAt).isLessThanOrEqualTo(5000);
    h.time.advance(50);
    List<ConnectResponse> bobFrames = b.call.sent.stream().map(FakeCall.Sent::frame).toList();
    assertThat(bobFrames.stream().filter(ConnectResponse::hasPresence)
        .flatMap(f -> f.getPresence().getEventsList().stream()).filter(e -> !e.hasState()))
        .singleElement().satisfies(e -> assertThat(e.getNullReason()).isEqualTo(NullReason.NULL_REASON_TIMED_OUT));
  }

  @Test
  @DisplayName("PRS-LIV-4: a session that did not declare CAPABILITY_PING is never pinged")
  void noPingWithoutCapability() {
    RoomHarness h = new RoomHarness(ServerConfig.builder().pingIntervalMillis(100).leaveDetectionMillis(300).build());
    RoomHarness.Client a = h.open("r", "alice");
    h.time.advance(10_000);
    assertThat(a.call.sent).noneMatch(s -> s.frame().hasPing());
    assertThat(a.call.closedWith).isNull();
  }

  private static Session pingCapable(RoomHarness h, FakeCall call) {
    Room room = h.registry.acquire("r");
    Session session = new Session("p", User.newBuilder().setUserId("alice").build(), call, true, Long.MAX_VALUE);
    room.executor().execute(() -> room.open(session));
    h.time.runDue();
    return session;
  }

  private static List<Long> pingTimes(FakeCall call) {
    return call.sent.stream().filter(s -> s.frame().hasPing()).map(FakeCall.Sent::at).toList();
  }

  @Test
  @DisplayName("PRS-LIV-6: answered pings are sent at most once per ping interval, even when the pong deadline is shorter")
  void pingsPacedByInterval() {
    RoomHarness h = new RoomHarness(ServerConfig.builder().pingIntervalMillis(4000).leaveDetectionMillis(5000).build());
    FakeCall call = new FakeCall(h.time);
    Session alice = pingCapable(h, call);
    Room room = h.registry.acquire("r");
    for (int i = 0; i < 20; i++) {
      h.time.advance(500);
      ConnectResponse last = call.sent.get(call.sent.size() - 1).frame();
      if (last.hasPing()) {
        long nonce = last.getPing().getNonce();
        room.executor().execute(() -> room.onFrame(alice,
            ConnectRequest.newBuilder().setPong(Pong.newBuilder().setNonce(nonce)).build()));
      }
    }
    List<Long> pings = pingTimes(call);
    assertThat(pings).hasSizeGreaterThanOrEqualTo(2);
    for (int i = 1; i < pings.size(); i++) {
      assertThat(pings.get(i) - pings.get(i - 1)).isGreaterThanOrEqualTo(4000);
    }
    assertThat(call.closedWith).isNull();
  }

  @Test
  @DisplayName("PRS-LIV-6: PING_TIMEOUT not before leave_detection - ping_interval since the unanswered ping")
  void pingTimeoutNotEarly() {
    RoomHarness h = new RoomHarness(ServerConfig.builder().pingIntervalMillis(4000).leaveDetectionMillis(5000).build());
    FakeCall call = new FakeCall(h.time);
    pingCapable(h, call);
    h.time.advance(4000);
    long sentAt = pingTimes(call).get(0);
    h.time.advance(999);
    assertThat(call.closedWith).isNull();
    h.time.advance(1);
    assertThat(call.closedWith.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
    assertThat(h.time.nowMillis() - sentAt).isGreaterThanOrEqualTo(5000 - 4000);
    assertThat(pingTimes(call)).hasSize(1);
  }

  @Test
  @DisplayName("PRS-LIV-7: a client's ping is answered at once, ahead of a live batch waiting for its window, and before frames caused by later frames")
  void pongIsNotThrottled() {
    RoomHarness h = new RoomHarness();
    RoomHarness.Client alice = h.open("r", "alice");
    RoomHarness.Client bob = h.open("r", "bob");
    bob.send(subscribe(1, "A", all()));
    alice.send(update(1));
    h.time.advance(5);
    alice.send(update(2));
    int seen = bob.call.sent.size();
    long at = h.time.nowMillis();
    bob.send(ping(77));
    bob.send(subscribe(2, "B", all()));
    List<FakeCall.Sent> sent = bob.call.sent.subList(seen, bob.call.sent.size());
    assertThat(sent.get(0).frame().getPong().getNonce()).isEqualTo(77);
    assertThat(sent.get(0).at()).isEqualTo(at);
    assertThat(sent.get(sent.size() - 1).frame().hasSnapshotComplete()).isTrue();
    h.time.advance(50);
    assertThat(bob.call.sent.get(bob.call.sent.size() - 1).frame().hasPresence()).isTrue();
  }
}
