package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.server.Main;
import dev.presence.server.support.ChildProcess;
import dev.presence.server.support.Frames;
import dev.presence.server.support.Poll;
import dev.presence.server.support.RawWebSocket;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Draining for rolling restarts (SPEC.md §13.2), on real sockets. */
class DrainIT {
  private static final long WINDOW_MILLIS = 3000;
  private ServerFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static TestSession openCapable(ManagedChannel channel, String room, String user) {
    TestSession s = TestSession.connect(channel);
    s.send(Frames.open(room, user, Capability.CAPABILITY_DRAIN));
    ConnectResponse first = s.next();
    assertThat(first.hasOpened()).as("first frame is opened, was %s", first).isTrue();
    assertThat(first.getOpened().getCapabilitiesList()).contains(Capability.CAPABILITY_DRAIN);
    return s;
  }

  private CompletableFuture<Boolean> drainInBackground(long windowMillis) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return fx.server().drainAndShutdown(Duration.ofMillis(windowMillis), Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private ServingStatus health(String service) {
    return HealthGrpc.newBlockingStub(fx.channel()).withDeadlineAfter(2, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  private int readyz() {
    try (RawWebSocket http = RawWebSocket.connect(fx.wsPort())) {
      return http.request("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status();
    } catch (Exception e) {
      return -1;
    }
  }

  private static List<ConnectResponse> frames(TestSession s) {
    return s.history().stream().map(TestSession.Received::frame).toList();
  }

  @Test
  @DisplayName("PRS-DRN-1..5: NOT_SERVING at once, draining once to capable sessions only (new ones too), "
      + "sessions served and accepted in the window, a move unseen by others, SHUTTING_DOWN after the window")
  void drain() throws Exception {
    fx = ServerFixture.startWithWebSocket(b -> b);
    TestSession carol = fx.openWatchingAll("r", "carol");
    TestSession alice = openCapable(fx.channel(), "r", "alice");
    TestSession bob = fx.open("r", "bob");
    assertThat(bob.opened().getCapabilitiesList()).doesNotContain(Capability.CAPABILITY_DRAIN);
    alice.send(update(1));
    carol.awaitEvent("alice", x(1));

    long drainStartedAt = System.nanoTime();
    CompletableFuture<Boolean> drained = drainInBackground(WINDOW_MILLIS);

    TestSession.Received announced = alice.awaitReceived("draining", ConnectResponse::hasDraining);
    assertThat(announced.frame().getDraining().getDeadlineMillis()).isBetween(1L, WINDOW_MILLIS);
    // Health turned before anything was announced, and both checks agree (PRS-DRN-2).
    assertThat(health("")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health("presence.v1.PresenceService")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(readyz()).isEqualTo(503);

    // The window still serves: a new session of either kind opens, the capable one is told at once (PRS-DRN-3,
    // PRS-DRN-4), and presence flows.
    TestSession dave = openCapable(fx.channel(), "r", "dave");
    ConnectResponse daveNext = dave.next();
    assertThat(daveNext.hasDraining()).as("frame after opened: %s", daveNext).isTrue();
    assertThat(daveNext.getDraining().getDeadlineMillis()).isLessThanOrEqualTo(WINDOW_MILLIS);
    TestSession erin = fx.open("r", "erin");
    erin.send(update(5));
    carol.awaitEvent("erin", x(5));

    // Alice moves make-before-break: a new session on a new connection, restored, then leave on the old one.
    TestSession alice2 = openCapable(fx.channel(), "r", "alice");
    alice2.send(update(2));
    alice2.send(subscribe(1, "all", all()));
    alice2.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    alice.send(Frames.leave());
    assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.OK);
    carol.awaitEvent("alice", x(2));
    carol.sync();
    // Nobody saw alice leave during her move (PRS-SES-4).
    assertThat(frames(carol))
        .noneMatch(f -> f.hasMemberLeft() && f.getMemberLeft().getUserId().equals("alice"))
        .noneMatch(f -> f.hasPresence() && f.getPresence().getEventsList().stream()
            .anyMatch(e -> e.getUserId().equals("alice") && !e.hasState()));

    // After the window, whoever is left ends UNAVAILABLE/SHUTTING_DOWN, not before (PRS-DRN-3, PRS-DRN-5).
    Duration bound = Duration.ofMillis(WINDOW_MILLIS + 5000);
    assertThat(bob.awaitClose(bound).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(bob.awaitErrorInfo().getReason()).isEqualTo("SHUTTING_DOWN");
    assertThat(System.nanoTime() - drainStartedAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS));
    assertThat(alice2.awaitErrorInfo().getReason()).isEqualTo("SHUTTING_DOWN");
    assertThat(carol.awaitClose(bound).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();

    // Exactly one draining per capable session, none to the others (PRS-DRN-1, PRS-DRN-4).
    assertThat(frames(alice).stream().filter(ConnectResponse::hasDraining).count()).isEqualTo(1);
    assertThat(frames(alice2).stream().filter(ConnectResponse::hasDraining).count()).isEqualTo(1);
    dave.awaitClose(bound);
    assertThat(frames(dave).stream().filter(ConnectResponse::hasDraining).count()).isEqualTo(1);
    for (TestSession plain : List.of(bob, carol, erin)) {
      assertThat(frames(plain)).noneMatch(ConnectResponse::hasDraining);
    }
  }

  @Test
  @DisplayName("PRS-DRN-5: a drain whose sessions have all moved away shuts down before the window ends")
  void endsEarlyWhenEmpty() throws Exception {
    fx = ServerFixture.start(b -> b);
    TestSession alice = openCapable(fx.channel(), "r", "alice");
    long start = System.nanoTime();
    CompletableFuture<Boolean> drained = drainInBackground(60_000);
    alice.await("draining", ConnectResponse::hasDraining);
    alice.send(Frames.leave());
    assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.OK);
    assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
  }

  @Test
  @DisplayName("PRS-DRN-4..5 on SIGTERM: the process drains for --drain-millis, then shuts down and exits 0")
  void sigtermDrainsAndExitsZero() throws Exception {
    try (ChildProcess server = ChildProcess.start(Main.class, "--host", "127.0.0.1", "--port", "0",
        "--metrics-port", "0", "--ws-port", "0", "--drain-millis", String.valueOf(WINDOW_MILLIS),
        "--shutdown-grace-millis", "3000", "--warmup-millis", "0")) {
      String line = server.awaitLine("listening line", l -> l.contains("listening on"), Duration.ofSeconds(30));
      Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(line);
      assertThat(m.find()).as(line).isTrue();
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(m.group(1)))
          .usePlaintext().build();
      try {
        TestSession alice = openCapable(channel, "r", "alice");
        TestSession bob = TestSession.open(channel, "r", "bob");
        long termAt = System.nanoTime();
        server.process().destroy();
        ConnectResponse draining = alice.await("draining", ConnectResponse::hasDraining);
        assertThat(draining.getDraining().getDeadlineMillis()).isBetween(1L, WINDOW_MILLIS);
        // Still accepting during the window.
        TestSession late = TestSession.open(channel, "r", "carol");
        assertThat(late.opened().getSelf().getUserId()).isEqualTo("carol");
        Duration bound = Duration.ofMillis(WINDOW_MILLIS + 5000);
        assertThat(bob.awaitClose(bound).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(System.nanoTime() - termAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS));
        assertThat(server.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process().exitValue()).isZero();
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
