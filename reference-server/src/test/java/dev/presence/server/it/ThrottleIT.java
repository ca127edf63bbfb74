package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Server-side throttling over a real connection. Exact spacing is proven on a fake clock in
 * RoomFanoutTest; here arrival times are measured by the client, so the checks count events per
 * elapsed windows rather than measure individual gaps, which network buffering may compress.
 */
class ThrottleIT {
  private static final int W = 50;
  private ServerFixture fx;
  private TestSession alice;
  private TestSession bob;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b.throttleWindowMillis(W));
    alice = fx.open("r", "alice");
    bob = fx.openWatchingAll("r", "bob");
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("PRS-THR-1/PRS-THR-2/PRS-THR-3/PRS-THR-5: a client flooding updates is coalesced, not cut off, and the latest arrives")
  void floodIsCoalesced() {
    long start = System.nanoTime();
    int updates = 2000;
    for (int i = 1; i <= updates; i++) {
      alice.send(update(i));
    }
    bob.awaitEvent("alice", x(updates));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    List<PresenceEvent> events = Events.about("alice",
        bob.history().stream().map(TestSession.Received::frame).toList());
    // At most one per window over the elapsed time, plus the leading edge.
    assertThat(events.size()).isLessThanOrEqualTo((int) (elapsedMillis / W) + 2);
    assertThat(events.size()).isLessThan(updates);
    List<Double> values = events.stream().map(e -> e.getState().getFieldsOrThrow("x").getNumberValue()).toList();
    assertThat(values).as("PRS-THR-4: never reordered").isSorted();
    assertThat(alice.drainFor(Duration.ofMillis(10))).noneMatch(ConnectResponse::hasError);
    alice.send(dev.presence.server.support.Frames.ping(1));
    assertThat(alice.await("pong", ConnectResponse::hasPong).getPong().getNonce()).isEqualTo(1);
  }

  @Test
  @DisplayName("PRS-THR-3: an isolated update arrives within W plus slack (tolerance 1 s for a loaded machine)")
  void isolatedUpdateIsPrompt() {
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    long sent = System.nanoTime();
    alice.send(update(2));
    TestSession.Received r = bob.awaitReceived("x=2", f -> f.hasPresence()
        && f.getPresence().getEventsList().stream().anyMatch(x(2)));
    assertThat(TimeUnit.NANOSECONDS.toMillis(r.atNanos() - sent)).isLessThan(W + 25 + 1000);
  }
}
