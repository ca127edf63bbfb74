package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.leave;
import static dev.presence.server.support.Frames.open;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Open;
import dev.presence.server.support.BlackholeProxy;
import dev.presence.server.support.Frames;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every way a session ends gives its user exactly one null, with the reason of PRS-END-3, to everyone
 * who saw the user's state, followed by member_left (PRS-MEM-2).
 */
class LeavePathsIT {
  /** Longer than any delay the server may add (W + 25 ms) with ample slack for a loaded machine. */
  private static final Duration QUIET = Duration.ofMillis(400);
  private ServerFixture fx;
  private ScheduledExecutorService keepBobBusy;

  @AfterEach
  void stop() throws Exception {
    if (keepBobBusy != null) {
      keepBobBusy.shutdownNow();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private TestSession observer() {
    TestSession bob = fx.openWatchingAll("r", "bob");
    return bob;
  }

  private TestSession aliceWithState(TestSession bob) {
    TestSession alice = fx.open("r", "alice");
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    return alice;
  }

  /** @return when the null arrived, in {@link System#nanoTime()} */
  private static long assertExactlyOneNull(TestSession bob, NullReason reason) {
    long arrivedAt = bob.awaitReceived("null about alice", f -> f.hasPresence()
        && f.getPresence().getEventsList().stream()
            .anyMatch(e -> e.getUserId().equals("alice") && nullWith(reason).test(e))).atNanos();
    ConnectResponse left = bob.await("member_left", ConnectResponse::hasMemberLeft);
    assertThat(left.getMemberLeft().getUserId()).isEqualTo("alice");
    assertThat(left.getMemberLeft().getReason()).isEqualTo(reason);
    List<ConnectResponse> later = bob.drainFor(QUIET);
    assertThat(Events.about("alice", later)).as("nothing about alice after her null").isEmpty();
    long nullsBeforeMemberLeft = bob.history().stream()
        .map(TestSession.Received::frame)
        .filter(ConnectResponse::hasPresence)
        .flatMap(f -> f.getPresence().getEventsList().stream())
        .filter(e -> e.getUserId().equals("alice") && !e.hasState())
        .count();
    assertThat(nullsBeforeMemberLeft).isEqualTo(1);
    return arrivedAt;
  }

  private void start(UnaryOperator<dev.presence.server.config.ServerConfig.Builder> config) throws Exception {
    fx = ServerFixture.start(config);
  }

  @Test
  @DisplayName("PRS-END-3: clean half-close -> one LEFT null, call completes OK")
  void halfClose() throws Exception {
    start(b -> b);
    TestSession bob = observer();
    TestSession alice = aliceWithState(bob);
    alice.halfClose();
    assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.OK);
    assertExactlyOneNull(bob, NullReason.NULL_REASON_LEFT);
  }

  @Test
  @DisplayName("PRS-END-1: leave frame -> one LEFT null, call completes OK")
  void leaveFrame() throws Exception {
    start(b -> b);
    TestSession bob = observer();
    TestSession alice = aliceWithState(bob);
    alice.send(leave());
    assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.OK);
    assertExactlyOneNull(bob, NullReason.NULL_REASON_LEFT);
  }

  @Test
  @DisplayName("PRS-END-3: client cancel -> one LEFT null")
  void cancel() throws Exception {
    start(b -> b);
    TestSession bob = observer();
    TestSession alice = aliceWithState(bob);
    alice.cancel();
    assertExactlyOneNull(bob, NullReason.NULL_REASON_LEFT);
  }

  @Test
  @DisplayName("PRS-END-3: the peer closing its connection -> one LEFT null")
  void connectionClosedByPeer() throws Exception {
    start(b -> b);
    TestSession bob = observer();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.port()).usePlaintext().build();
    TestSession alice = TestSession.open(channel, "r", "alice");
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    channel.shutdownNow();
    assertExactlyOneNull(bob, NullReason.NULL_REASON_LEFT);
  }

  @Test
  @DisplayName("PRS-ERR-2/PRS-END-3: a fatal error ends the session -> one LEFT null")
  void fatalError() throws Exception {
    start(b -> b);
    TestSession bob = observer();
    TestSession alice = aliceWithState(bob);
    alice.send(ConnectRequest.newBuilder().setOpen(Open.newBuilder().setClientAgent("x".repeat(70_000))).build());
    assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertExactlyOneNull(bob, NullReason.NULL_REASON_LEFT);
  }

  @Test
  @DisplayName("PRS-LIV-2: idle timeout -> DEADLINE_EXCEEDED/IDLE_TIMEOUT and one TIMED_OUT null")
  void idleTimeout() throws Exception {
    start(b -> b.idleTimeoutMillis(500));
    TestSession bob = observer();
    keepBobBusy = Executors.newSingleThreadScheduledExecutor();
    keepBobBusy.scheduleAtFixedRate(() -> bob.send(Frames.ping(1)), 100, 100, TimeUnit.MILLISECONDS);
    TestSession alice = aliceWithState(bob);
    ErrorInfo info = alice.awaitErrorInfo();
    assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(info.getReason()).isEqualTo("IDLE_TIMEOUT");
    assertExactlyOneNull(bob, NullReason.NULL_REASON_TIMED_OUT);
  }

  @Test
  @DisplayName("PRS-LIV-4: unanswered server pings -> DEADLINE_EXCEEDED/PING_TIMEOUT and one TIMED_OUT null")
  void pingTimeout() throws Exception {
    start(b -> b.pingIntervalMillis(200).leaveDetectionMillis(700));
    TestSession bob = observer();
    TestSession alice = aliceAnsweringPings();
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    alice.await("server ping", ConnectResponse::hasPing);
    ErrorInfo info = alice.awaitErrorInfo();
    assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(info.getReason()).isEqualTo("PING_TIMEOUT");
    assertExactlyOneNull(bob, NullReason.NULL_REASON_TIMED_OUT);
  }

  @Test
  @DisplayName("PRS-LIV-4: a client that answers pings stays; one that did not declare the capability is never pinged")
  void answeredPingsKeepTheSession() throws Exception {
    start(b -> b.pingIntervalMillis(100).leaveDetectionMillis(300));
    TestSession bob = observer();
    TestSession alice = aliceAnsweringPings();
    // Six answered pings span twice the 300 ms detection bound: the session must survive them.
    for (int i = 0; i < 6; i++) {
      ConnectResponse ping = alice.await("server ping", ConnectResponse::hasPing);
      alice.send(ConnectRequest.newBuilder()
          .setPong(dev.presence.protocol.v1.Pong.newBuilder().setNonce(ping.getPing().getNonce())).build());
    }
    alice.send(Frames.ping(77));
    assertThat(alice.await("pong", ConnectResponse::hasPong).getPong().getNonce()).isEqualTo(77);
    assertThat(bob.drainFor(Duration.ofMillis(50))).noneMatch(f -> f.hasPing() || f.hasMemberLeft());
    assertThat(bob.history()).noneMatch(r -> r.frame().hasPing() || r.frame().hasMemberLeft());
  }

  @Test
  @DisplayName("PRS-LIV-1/PRS-END-3: a peer that stops answering is detected by keepalive -> one TIMED_OUT null in time")
  void transportLoss() throws Exception {
    int leaveDetectionMillis = 1000;
    start(b -> b.leaveDetectionMillis(leaveDetectionMillis).pingIntervalMillis(0));
    TestSession bob = observer();
    try (BlackholeProxy proxy = new BlackholeProxy(fx.port())) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
      try {
        TestSession alice = TestSession.open(channel, "r", "alice");
        alice.send(update(1));
        bob.awaitEvent("alice", x(1));
        long lostAt = System.nanoTime();
        proxy.swallow();
        long arrivedAt = assertExactlyOneNull(bob, NullReason.NULL_REASON_TIMED_OUT);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(arrivedAt - lostAt);
        // Bound: leave detection + W (PRS-LIV-1); tolerance 1500 ms for scheduling on a loaded machine.
        assertThat(tookMillis).isLessThan(leaveDetectionMillis + 50 + 1500);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  @DisplayName("PRS-END-5: shutdown delivers each departure to the sessions still open, then UNAVAILABLE/SHUTTING_DOWN")
  void serverShutdown() throws Exception {
    start(b -> b);
    TestSession alice = fx.open("r", "alice");
    TestSession bob = fx.openWatchingAll("r", "bob");
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    TestSession notYetOpen = TestSession.connect(fx.channel());
    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> {
      try {
        return fx.server().shutdown(Duration.ofSeconds(3));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    ErrorInfo aliceInfo = alice.awaitErrorInfo();
    assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(aliceInfo.getReason()).isEqualTo("SHUTTING_DOWN");
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));
    bob.await("member_left", ConnectResponse::hasMemberLeft);
    ErrorInfo bobInfo = bob.awaitErrorInfo();
    assertThat(bob.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(bobInfo.getReason()).isEqualTo("SHUTTING_DOWN");
    assertThat(stopped.get(5, TimeUnit.SECONDS)).isTrue();
    // A call that never opened is refused at once rather than kept until its open timeout.
    assertThat(notYetOpen.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  /** Opens alice in room "r" declaring CAPABILITY_PING, so the server may ping her (PRS-LIV-4). */
  private TestSession aliceAnsweringPings() {
    TestSession alice = TestSession.connect(fx.channel());
    alice.send(open("r", "alice", Capability.CAPABILITY_PING));
    alice.await("opened", ConnectResponse::hasOpened);
    return alice;
  }
}
