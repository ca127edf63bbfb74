package dev.presence.client;

import static dev.presence.client.testing.FakePresenceServer.ack;
import static dev.presence.client.testing.FakePresenceServer.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ErrorReason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Follow and unfollow futures complete by the server's answer to their request id. */
class FollowTest {
  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void followCompletesOnItsOwnAckOnly() {
    Conn conn = h.connect("alice", "bob");
    CompletableFuture<Void> fa = h.client.users().follow("alice");
    CompletableFuture<Void> fb = h.client.users().follow("bob");
    ConnectRequest ra = conn.expect(ConnectRequest.FrameCase.FOLLOW);
    ConnectRequest rb = conn.expect(ConnectRequest.FrameCase.FOLLOW);
    assertThat(ra.getRequestId()).isNotEqualTo(rb.getRequestId());
    conn.send(ack(rb.getRequestId()));
    assertThat(fb).succeedsWithin(Duration.ofSeconds(5));
    h.settle(conn);
    assertThat(fa).isNotDone();
    assertThat(h.client.users().following()).containsExactly("bob");
    conn.send(ack(ra.getRequestId()));
    assertThat(fa).succeedsWithin(Duration.ofSeconds(5));
  }

  @Test
  void followFailsWithTheServersProtocolError() {
    Conn conn = h.connect("alice");
    CompletableFuture<Void> f = h.client.users().follow("alice");
    ConnectRequest r = conn.expect(ConnectRequest.FrameCase.FOLLOW);
    conn.send(error(ErrorReason.ERROR_REASON_TOO_MANY_FOLLOWS, r.getRequestId(), ""));
    assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(PresenceException.class)
        .satisfies(e -> assertThat(((PresenceException) e).reason()).isEqualTo("TOO_MANY_FOLLOWS"));
    assertThat(h.client.users().following()).isEmpty();
  }

  @Test
  void followBeforeTheSessionOpensIsSentOnOpen() {
    CompletableFuture<Void> f = h.client.users().follow("alice");
    h.client.connect();
    Conn conn = h.server.awaitConnection();
    conn.open("me", "me");
    ConnectRequest r = conn.expect(ConnectRequest.FrameCase.FOLLOW);
    assertThat(r.getFollow().getUserId()).isEqualTo("alice");
    assertThat(f).isNotDone();
    conn.send(ack(r.getRequestId()));
    assertThat(f).succeedsWithin(Duration.ofSeconds(5));
  }

  @Covers("PRS-IDN-5")
  @Test
  void invalidUserIdFailsWithoutAFrame() {
    h.connect();
    assertThat(h.client.users().follow(" ")).isCompletedExceptionally();
  }

  @Test
  void closeFailsPendingFollows() {
    Conn conn = h.connect("alice");
    CompletableFuture<Void> f = h.client.users().follow("alice");
    conn.expect(ConnectRequest.FrameCase.FOLLOW);
    h.client.close();
    assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(PresenceException.class)
        .satisfies(e -> assertThat(((PresenceException) e).reason()).isEqualTo("CLIENT_CLOSED"));
  }
}
