package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static dev.presence.server.support.Frames.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import dev.presence.server.support.Frames;
import dev.presence.server.support.MetricsScrape;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PRS-THR-9: a subscriber that never reads, in a 50-user room where everyone updates at 20 Hz for 12 s,
 * costs the server at most one pending event per user; its call stops accepting writes within about a second, so
 * most of the run is spent stalled. The assertion is on the size of the server's
 * per-subscriber pending structure, never on time or heap readings.
 */
class StalledSubscriberIT {
  private static final int USERS = 50;
  private static final int HZ = 20;
  private static final Duration RUN = Duration.ofSeconds(12);
  private static final String PAD = "p".repeat(600);

  private ServerFixture fx;
  private ScheduledExecutorService writers;
  private ManagedChannel stalledChannel;

  @AfterEach
  void stop() throws Exception {
    if (writers != null) {
      writers.shutdownNow();
    }
    if (stalledChannel != null) {
      stalledChannel.shutdownNow();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private static Struct state(int x) {
    return Frames.paddedState(x, PAD);
  }

  /** A call whose client never asks for a single message: everything the server sends stays unread. */
  private static final class NeverReads implements ClientResponseObserver<ConnectRequest, ConnectResponse> {
    private ClientCallStreamObserver<ConnectRequest> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<ConnectRequest> requestStream) {
      requests = requestStream;
      requestStream.disableAutoRequestWithInitial(0);
    }

    @Override
    public void onNext(ConnectResponse value) {
      throw new AssertionError("a stalled client never requested a message");
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }

  @Test
  @DisplayName("PRS-THR-9: a stalled '*' subscriber holds at most one pending event per user while 50 users update at 20 Hz for 12 s")
  void stalledSubscriberStaysBounded() throws Exception {
    fx = ServerFixture.startMetered(b -> b.maxSessionsPerRoom(100));

    // A small fixed client window (no auto-tuning) makes the server's call unwritable within a second.
    stalledChannel = NettyChannelBuilder.forAddress("127.0.0.1", fx.port()).usePlaintext()
        .flowControlWindow(64 * 1024).build();
    NeverReads stalled = new NeverReads();
    PresenceServiceGrpc.newStub(stalledChannel).connect(stalled);
    stalled.requests.onNext(Frames.open("busy-room", "stalled"));
    stalled.requests.onNext(subscribe(1, "everyone", all()));

    TestSession watcher = fx.open("busy-room", "watcher");
    watcher.send(subscribe(1, "w0", user("w0")));
    watcher.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);

    List<TestSession> users = new ArrayList<>();
    List<ManagedChannel> channels = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      channels.add(fx.channel());
    }
    for (int i = 0; i < USERS; i++) {
      users.add(TestSession.open(channels.get(i % channels.size()), "busy-room", "w" + i));
    }
    assertThat(fx.server().sessionCount()).isEqualTo(USERS + 2);

    AtomicInteger tick = new AtomicInteger();
    writers = Executors.newSingleThreadScheduledExecutor();
    writers.scheduleAtFixedRate(() -> {
      int t = tick.incrementAndGet();
      for (TestSession u : users) {
        u.send(update(state(t)));
      }
    }, 0, 1000 / HZ, TimeUnit.MILLISECONDS);

    // Sampled throughout, and the high-water mark covers the moments between samples.
    long end = System.nanoTime() + RUN.toNanos();
    int samples = 0;
    while (System.nanoTime() < end) {
      watcher.drainFor(Duration.ofSeconds(1));
      assertThat(fx.server().pendingHighWater(Duration.ofSeconds(5))).isLessThanOrEqualTo(USERS);
      samples++;
    }
    writers.shutdown();
    assertThat(writers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    int last = tick.get();

    // The stalled subscriber did stall: it held a pending event for every user at once, and the rest was
    // coalesced in its outbox instead of queued.
    assertThat(fx.server().pendingHighWater(Duration.ofSeconds(5))).isEqualTo(USERS);
    MetricsScrape s = fx.scrape("/metrics");
    double updatesIn = s.value("presence_updates_in_total", Map.of("kind", "update"));
    assertThat(updatesIn).isGreaterThan(USERS * 10.0);
    assertThat(s.value("presence_states_coalesced_total", Map.of("stage", "subscriber")))
        .isGreaterThan(updatesIn / 2);
    assertThat(samples).isGreaterThanOrEqualTo((int) RUN.toSeconds() / 2);

    // Everyone else was unaffected: the last thing the watcher learned about w0 is w0's final state. The
    // quiet period is many windows longer than the W + 25 ms the server may take (PRS-THR-3).
    watcher.drainFor(Duration.ofMillis(500));
    List<ConnectResponse> everything = watcher.history().stream().map(TestSession.Received::frame).toList();
    List<dev.presence.protocol.v1.PresenceEvent> aboutW0 = Events.about("w0", everything);
    assertThat(aboutW0).isNotEmpty();
    assertThat(aboutW0.get(aboutW0.size() - 1)).matches(x(last), "state x=" + last);
    users.get(0).sync();
  }
}
