package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.leave;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.SessionEnd;
import dev.presence.server.support.Frames;
import dev.presence.server.support.Poll;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.WsSession;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sessions on the WebSocket binding (§2.2), end to end over real sockets. */
class WebSocketIT {
  /** Longer than any delay the server may add (W + 25 ms) with ample slack for a loaded machine. */
  private static final Duration QUIET = Duration.ofMillis(400);
  private ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.startWithWebSocket(b -> b);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private void awaitNoSessions() throws InterruptedException {
    Poll.until("no sessions and no rooms", Duration.ofSeconds(5),
        () -> fx.server().sessionCount() == 0 && fx.server().roomCount() == 0,
        () -> "sessions=" + fx.server().sessionCount() + " rooms=" + fx.server().roomCount());
  }

  @Test
  @DisplayName("PRS-WS-1, PRS-WS-3, PRS-WS-4: open, update, subscribe and fan-out over binary messages")
  void openUpdateSubscribeFanOut() {
    WsSession bob = WsSession.openWatchingAll(fx.wsPort(), "r", "bob");
    assertThat(bob.opened().getSelf().getUserId()).isEqualTo("bob");
    assertThat(bob.opened().getLimits().getMaxInboundFrameBytes()).isEqualTo(65536);
    WsSession alice = fx.openWs("r", "alice");
    assertThat(alice.opened().getMembersList()).extracting(u -> u.getUserId()).containsExactly("bob", "alice");
    alice.send(update(7));
    assertThat(bob.awaitEvent("alice", x(7)).getSubscriptionIdsCount()).isZero();
    alice.send(subscribe(9, "bob-only", Frames.user("bob")));
    assertThat(alice.await("snapshot_complete", ConnectResponse::hasSnapshotComplete).getSnapshotComplete()
        .getRequestId()).isEqualTo(9);
    bob.send(update(3));
    alice.awaitEvent("bob", x(3));
  }

  @Test
  @DisplayName("PRS-WS-10, PRS-OPN-3: UNSUPPORTED_VERSION ends with session_end carrying supported_versions, then Close 4009")
  void fatalBeforeOpen() throws Exception {
    WsSession s = WsSession.connect(fx.wsPort());
    s.send(ConnectRequest.newBuilder().setOpen(Open.newBuilder().setRoomId("r").setProtocolVersion(2)
        .setDevUserId("alice")).build());
    SessionEnd end = s.awaitSessionEnd();
    assertThat(end.getCode()).isEqualTo(9);
    assertThat(end.getReason()).isEqualTo("UNSUPPORTED_VERSION");
    assertThat(end.getMetadataMap()).containsEntry("supported_versions", "1");
    assertThat(end.getMessage()).isNotEmpty();
    assertThat(s.history()).hasSize(1);
    awaitNoSessions();
  }

  @Test
  @DisplayName("PRS-END-1, PRS-WS-10: leave ends with session_end code 0 and Close 1000; the others get LEFT")
  void leaveEndsWithOk() throws Exception {
    WsSession bob = WsSession.openWatchingAll(fx.wsPort(), "r", "bob");
    WsSession alice = fx.openWs("r", "alice");
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    alice.send(leave());
    SessionEnd end = alice.awaitSessionEnd();
    assertThat(end.getCode()).isZero();
    assertThat(end.getReason()).isEmpty();
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));
    bob.send(leave());
    bob.awaitSessionEnd();
    awaitNoSessions();
  }

  @Test
  @DisplayName("PRS-WS-12: a Close 1000 from the client is a half-close: LEFT null to the others, the Close answered, no session_end")
  void clientCloseIsHalfClose() throws Exception {
    WsSession bob = WsSession.openWatchingAll(fx.wsPort(), "r", "bob");
    WsSession alice = fx.openWs("r", "alice");
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    alice.sendClose(1000);
    assertThat(alice.awaitClose().code()).isEqualTo(1000);
    assertThat(alice.drainFor(Duration.ofMillis(100))).noneMatch(ConnectResponse::hasSessionEnd);
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));
    assertThat(bob.await("member_left", ConnectResponse::hasMemberLeft).getMemberLeft().getUserId())
        .isEqualTo("alice");
  }

  @Test
  @DisplayName("PRS-WS-12: a connection dropped without a Close, or a Close other than 1000, is a cancel: LEFT null")
  void abortAndOtherCloseAreCancels() throws Exception {
    WsSession bob = WsSession.openWatchingAll(fx.wsPort(), "r", "bob");
    WsSession alice = fx.openWs("r", "alice");
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    alice.abort();
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));
    WsSession carol = fx.openWs("r", "carol");
    carol.send(update(2));
    bob.awaitEvent("carol", x(2));
    carol.sendClose(1001);
    assertThat(carol.awaitClose().code()).isEqualTo(1001);
    bob.awaitEvent("carol", nullWith(NullReason.NULL_REASON_LEFT));
    List<ConnectResponse> later = bob.drainFor(QUIET);
    assertThat(Events.nulls("alice", later) + Events.nulls("carol", later)).isZero();
  }

  @Test
  @DisplayName("PRS-OPN-11: frames sent right after open are processed after opened, in order")
  void pipelinedFrames() {
    WsSession alice = WsSession.connect(fx.wsPort());
    alice.send(Frames.open("r", "alice"));
    alice.send(subscribe(1, "all", all()));
    alice.send(update(5));
    assertThat(alice.next().hasOpened()).isTrue();
    alice.awaitEvent("alice", x(5));
  }
}
