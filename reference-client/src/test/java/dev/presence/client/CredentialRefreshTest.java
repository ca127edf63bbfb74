package dev.presence.client;

import static dev.presence.client.testing.FakePresenceServer.ack;
import static dev.presence.client.testing.FakePresenceServer.batch;
import static dev.presence.client.testing.FakePresenceServer.fatal;
import static dev.presence.client.testing.FakePresenceServer.pong;
import static dev.presence.client.testing.FakePresenceServer.snapshotComplete;
import static dev.presence.client.testing.FakePresenceServer.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.client.testing.Harness.Recorder;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectRequest.FrameCase;
import dev.presence.protocol.v1.Limits;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Credentials that expire (PRS-RCN-6, RCN-7) and credentials the server refuses (PRS-RCN-3), against the scripted
 * server. Tokens live 1.5 s, so the client refreshes one second after obtaining each (the earliest it ever does).
 */
class CredentialRefreshTest {
  static final Struct MINE = State.fromJson("{\"mine\":1}").toStruct();
  static final Struct ALICE = State.fromJson("{\"a\":1}").toStruct();

  private final AtomicInteger issued = new AtomicInteger();

  private Harness expiringTokens() {
    return new Harness(PresenceClient.builder().tokenWithExpiry(
        () -> Token.of("t" + issued.incrementAndGet(), Instant.now().plusMillis(1_500))));
  }

  private Harness tokensWithoutExpiry() {
    return new Harness(PresenceClient.builder().token(() -> "t" + issued.incrementAndGet()));
  }

  /** Opens a session with a state, a confirmed follow of alice and a complete all-users snapshot. */
  /** Opens a session with a state, a confirmed follow of alice and a complete all-users snapshot. */
  static Conn openWithEverything(Harness h, Limits limits, Recorder rec) {
    h.client.connect();
    Conn conn = h.server.awaitConnection();
    conn.open(limits, "me", "me", "alice");
    h.client.presence().update(State.of(MINE));
    conn.expect(FrameCase.UPDATE_STATE);
    h.client.users().follow("alice");
    conn.send(ack(conn.expect(FrameCase.FOLLOW).getRequestId()));
    h.client.presence().sync(SyncTarget.all(), rec);
    ConnectRequest sub = conn.expect(FrameCase.SUBSCRIBE);
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(batch(state("alice", ALICE, id), state("me", MINE, id)));
    conn.send(snapshotComplete(id, sub.getRequestId()));
    h.settle(conn);
    rec.reset();
    return conn;
  }

  /** Expects the restore of PRS-RCN-8 on a new session and answers it with the unchanged room. */
  private static void restoreUnchanged(Conn conn) {
    assertThat(State.of(conn.expect(FrameCase.UPDATE_STATE).getUpdateState().getState()))
        .isEqualTo(State.of(MINE));
    ConnectRequest follow = conn.expect(FrameCase.FOLLOW);
    assertThat(follow.getFollow().getUserId()).isEqualTo("alice");
    ConnectRequest sub = conn.expect(FrameCase.SUBSCRIBE);
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(ack(follow.getRequestId()));
    conn.send(batch(state("alice", ALICE, id), state("me", MINE, id)));
    conn.send(snapshotComplete(id, sub.getRequestId()));
  }

  /** Expects the next session to carry the second token, opens it and answers its restore with the unchanged room. */
  private static Conn reopenWithSecondToken(Harness h) {
    Conn next = h.server.awaitConnection();
    assertThat(next.bearer()).isEqualTo("t2");
    next.open("me", "me", "alice");
    restoreUnchanged(next);
    return next;
  }

  /** Nothing changed across the switch of sessions, so the application hears of neither the switch nor the room. */
  private static void assertUnnoticed(Harness h, Conn next, Recorder rec) {
    h.settle(next);
    assertThat(rec.seen()).as("nothing changed, so the listener hears nothing").isEmpty();
    assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
  }

  /** Lets the next session's open fail with {@code error}. */
  private static void refuseOpen(Conn conn, Throwable error) {
    conn.expect(FrameCase.OPEN);
    conn.fail(error);
  }

  private static void assertFailsWith(CompletableFuture<PresenceClient> connected, String reason) {
    assertThat(connected).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
        .havingCause().satisfies(e -> assertThat(((PresenceException) e).reason()).isEqualTo(reason));
  }

  private static List<FrameCase> kinds(List<ConnectRequest> frames) {
    return frames.stream().map(ConnectRequest::getFrameCase).toList();
  }

  @Covers("PRS-RCN-6")
  @Covers("PRS-TRN-5")
  @Test
  void beforeExpiryASecondSessionTakesOverAndTheOldOneIsLeftOnlyAfterTheNewOneHoldsTheState() {
    try (Harness h = expiringTokens()) {
      Recorder rec = new Recorder();
      Conn old = openWithEverything(h, FakePresenceServer.defaultLimits().build(), rec);
      assertThat(old.bearer()).isEqualTo("t1");

      Conn next = reopenWithSecondToken(h);
      long barrier = next.expect(FrameCase.PING).getPing().getNonce();
      // The old session is still live: it answers pings and has not been left.
      old.barrier();
      assertThat(old.unread()).isEmpty();
      assertThat(old.clientEnded()).isFalse();

      next.send(pong(barrier));
      assertThat(kinds(old.awaitClientEnd())).containsExactly(FrameCase.LEAVE);
      assertUnnoticed(h, next, rec);
      assertThat(h.client.users().following()).containsExactly("alice");
    }
  }

  @Covers("PRS-RCN-6")
  @Test
  void withOneSessionPerUserItLeavesThenOpensWithTheFreshToken() {
    try (Harness h = expiringTokens()) {
      Recorder rec = new Recorder();
      Conn old = openWithEverything(h, FakePresenceServer.defaultLimits().setMaxSessionsPerUser(1).build(), rec);
      assertThat(kinds(old.awaitClientEnd())).containsExactly(FrameCase.LEAVE);
      assertUnnoticed(h, reopenWithSecondToken(h), rec);
    }
  }

  @Covers("PRS-RCN-6")
  @Test
  void whenTheSecondOpenGetsTooManySessionsItLeavesThenOpens() {
    try (Harness h = expiringTokens()) {
      Recorder rec = new Recorder();
      Conn old = openWithEverything(h, FakePresenceServer.defaultLimits().build(), rec);
      refuseOpen(h.server.awaitConnection(), fatal(Status.Code.RESOURCE_EXHAUSTED, "TOO_MANY_SESSIONS"));
      assertThat(kinds(old.awaitClientEnd())).containsExactly(FrameCase.LEAVE);
      // The second token is the one the refused open had: leave-then-open fetches none of its own.
      assertUnnoticed(h, reopenWithSecondToken(h), rec);
    }
  }

  @Covers("PRS-RCN-7")
  @Test
  void expiredCredentialsAreReplacedAtOnceWithoutTellingTheApplication() {
    try (Harness h = tokensWithoutExpiry()) {
      Recorder rec = new Recorder();
      Conn conn = openWithEverything(h, FakePresenceServer.defaultLimits().build(), rec);
      conn.fail(fatal(Status.Code.UNAUTHENTICATED, "CREDENTIALS_EXPIRED"));
      assertUnnoticed(h, reopenWithSecondToken(h), rec);
    }
  }

  @Covers("PRS-RCN-7")
  @Test
  void ifTheReopenAfterExpiryFailsTheApplicationIsTold() {
    try (Harness h = tokensWithoutExpiry()) {
      Conn conn = h.connect();
      conn.fail(fatal(Status.Code.UNAUTHENTICATED, "CREDENTIALS_EXPIRED"));
      refuseOpen(h.server.awaitConnection(), Status.UNAVAILABLE.asRuntimeException());
      Conn third = h.server.awaitConnection();
      third.open("me", "me");
      Harness.await("connected again", () -> h.connectionStates.size() == 4);
      assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
          ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
    }
  }

  @Covers("PRS-RCN-3")
  @Test
  void unauthenticatedIsRetriedOnceWithANewTokenThenReported() {
    try (Harness h = tokensWithoutExpiry()) {
      var connected = h.client.connect();
      refuseOpen(h.server.awaitConnection(), fatal(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED"));
      Conn second = h.server.awaitConnection();
      assertThat(second.bearer()).isEqualTo("t2");
      refuseOpen(second, fatal(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED"));
      assertFailsWith(connected, "UNAUTHENTICATED");
      assertThat(h.server.waitingConnections()).isZero();
    }
  }

  @Covers("PRS-RCN-3")
  @Test
  void unauthenticatedIsNotRetriedWhenTheSupplierHasNoNewToken() {
    try (Harness h = new Harness(PresenceClient.builder().token(() -> "same"))) {
      var connected = h.client.connect();
      refuseOpen(h.server.awaitConnection(), fatal(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED"));
      assertFailsWith(connected, "UNAUTHENTICATED");
      assertThat(h.server.waitingConnections()).isZero();
      assertThat(h.client.presence().getState()).isNull();
      h.client.presence().update(Map.of("ignored", true));
    }
  }
}
