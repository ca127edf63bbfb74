package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.User;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import dev.presence.server.support.WsSession;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PRS-WS-18: sessions of both bindings share one room, one presence per user and one fan-out. */
class MixedBindingsIT {
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

  @Test
  @DisplayName("PRS-WS-18: events flow both ways between a gRPC session and a WebSocket session of different users")
  void differentUsersBothWays() {
    TestSession grpcBob = fx.openWatchingAll("mixed", "bob");
    WsSession wsAlice = WsSession.openWatchingAll(fx.wsPort(), "mixed", "alice");
    assertThat(wsAlice.opened().getMembersList()).extracting(User::getUserId).containsExactly("bob", "alice");
    assertThat(grpcBob.await("member_joined", ConnectResponse::hasMemberJoined).getMemberJoined().getUser().getUserId())
        .isEqualTo("alice");
    wsAlice.send(update(1));
    grpcBob.awaitEvent("alice", x(1));
    grpcBob.send(update(2));
    wsAlice.awaitEvent("bob", x(2));
    wsAlice.abort();
    grpcBob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));
  }

  @Test
  @DisplayName("PRS-WS-18, PRS-SES-2, PRS-SES-4: a user with a tab on each binding is one user; closing one tab gives no null")
  void oneUserTwoBindings() {
    TestSession watcher = fx.openWatchingAll("mixed", "watcher");
    TestSession grpcTab = fx.open("mixed", "carol");
    WsSession wsTab = fx.openWs("mixed", "carol");
    assertThat(wsTab.opened().getMembersList()).extracting(User::getUserId).containsExactly("watcher", "carol");
    grpcTab.send(update(1));
    watcher.awaitEvent("carol", x(1));
    wsTab.send(update(2));
    watcher.awaitEvent("carol", x(2));
    wsTab.sendClose(1000);
    assertThat(wsTab.awaitClose().code()).isEqualTo(1000);
    // Presence falls back to the gRPC tab's state, and carol stays a member.
    watcher.awaitEvent("carol", x(1));
    List<ConnectResponse> later = watcher.drainFor(QUIET);
    assertThat(Events.nulls("carol", later)).isZero();
    assertThat(later).noneMatch(ConnectResponse::hasMemberLeft);
    grpcTab.halfClose();
    watcher.awaitEvent("carol", nullWith(NullReason.NULL_REASON_LEFT));
    assertThat(watcher.await("member_left", ConnectResponse::hasMemberLeft).getMemberLeft().getUserId())
        .isEqualTo("carol");
  }

  @Test
  @DisplayName("PRS-WS-18: the per-user session limit counts sessions of both bindings")
  void limitsCountBothBindings() throws Exception {
    fx.close();
    fx = ServerFixture.startWithWebSocket(b -> b.maxSessionsPerUser(1));
    fx.open("mixed", "dave");
    WsSession second = dev.presence.server.support.WsSession.connect(fx.wsPort());
    second.send(dev.presence.server.support.Frames.open("mixed", "dave"));
    assertThat(second.awaitSessionEnd().getReason()).isEqualTo("TOO_MANY_SESSIONS");
  }
}
