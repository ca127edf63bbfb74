package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.support.MetricsScrape;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PRS-THR-5 sustained: a client sending 1,000 updates a second for seconds is coalesced, never cut off. */
class IngressCoalescingIT {
  private static final int W = 50;
  private static final int UPDATES = 3_000;
  private ServerFixture fx;
  private ScheduledExecutorService sender;

  @AfterEach
  void stop() throws Exception {
    if (sender != null) {
      sender.shutdownNow();
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  @DisplayName("PRS-THR-2/PRS-THR-4/PRS-THR-5: 1,000 updates/s for 3 s -> at most one event per W, in order, the last delivered, no disconnect")
  void sustainedFloodIsCoalesced() throws Exception {
    fx = ServerFixture.startMetered(b -> b.throttleWindowMillis(W));
    TestSession bob = fx.openWatchingAll("flood", "bob");
    TestSession alice = fx.open("flood", "alice");

    AtomicInteger value = new AtomicInteger();
    CountDownLatch allSent = new CountDownLatch(1);
    long start = System.nanoTime();
    sender = Executors.newSingleThreadScheduledExecutor();
    // Ten updates every 10 ms: 1,000 a second, twenty per window, until all are sent.
    sender.scheduleAtFixedRate(() -> {
      if (value.get() >= UPDATES) {
        allSent.countDown();
        return;
      }
      for (int i = 0; i < 10; i++) {
        alice.send(update(value.incrementAndGet()));
      }
    }, 0, 10, TimeUnit.MILLISECONDS);
    assertThat(allSent.await(30, TimeUnit.SECONDS)).isTrue();
    sender.shutdown();
    assertThat(sender.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    int last = value.get();
    // Bob's frames stay queued until now, so the trailing event is found whenever it arrived.
    bob.awaitEvent("alice", x(last));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    List<PresenceEvent> events = Events.about("alice", bob.history().stream().map(TestSession.Received::frame).toList());
    // At most one per window over the elapsed time, plus the leading edge.
    assertThat(events.size()).isLessThanOrEqualTo((int) (elapsedMillis / W) + 2);
    assertThat(events.stream().map(e -> e.getState().getFieldsOrThrow("x").getNumberValue()).toList()).isSorted();
    // Alice was neither disconnected nor answered with an error: her session still answers.
    alice.sync();
    assertThat(alice.history()).noneMatch(r -> r.frame().hasError());

    MetricsScrape s = fx.scrape("/metrics");
    assertThat(s.value("presence_updates_in_total", Map.of("kind", "update"))).isEqualTo(last);
    assertThat(s.value("presence_states_coalesced_total", Map.of("stage", "ingress"))
        + s.value("presence_states_coalesced_total", Map.of("stage", "subscriber")))
        .isEqualTo(last - events.size());
  }
}
