package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.support.ChildProcess;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A client in another process killed with SIGKILL: no goodbye, no half-close, no cancel. */
class ProcessKillIT {
  private ServerFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  @DisplayName("PRS-LIV-1/PRS-END-3: a client process killed with SIGKILL -> exactly one LEFT or TIMED_OUT null within the bound")
  void sigkilledClient() throws Exception {
    int leaveDetectionMillis = 2000;
    int windowMillis = 50;
    fx = ServerFixture.start(b -> b.leaveDetectionMillis(leaveDetectionMillis).pingIntervalMillis(0)
        .throttleWindowMillis(windowMillis));
    TestSession bob = fx.openWatchingAll("kill-room", "bob");
    try (ChildProcess child = ChildProcess.start(ExternalClientMain.class, String.valueOf(fx.port()), "kill-room",
        "alice")) {
      child.awaitLine("READY", l -> l.startsWith("READY"), Duration.ofSeconds(30));
      bob.awaitEvent("alice", x(1));
      long killedAt = System.nanoTime();
      // On Linux destroyForcibly is SIGKILL: the process cannot run any shutdown code.
      child.process().destroyForcibly();
      assertThat(child.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
      TestSession.Received received = bob.awaitReceived("null about alice", f -> f.hasPresence() && f.getPresence()
          .getEventsList().stream().anyMatch(e -> e.getUserId().equals("alice") && !e.hasState()));
      long arrivedAt = received.atNanos();
      PresenceEvent nul = Events.about("alice", java.util.List.of(received.frame())).stream()
          .filter(e -> !e.hasState()).findFirst().orElseThrow();
      assertThat(nul.getNullReason()).isIn(NullReason.NULL_REASON_LEFT, NullReason.NULL_REASON_TIMED_OUT);
      // Bound: leave detection + W (PRS-LIV-1); tolerance 1500 ms for scheduling on a loaded machine.
      assertThat(TimeUnit.NANOSECONDS.toMillis(arrivedAt - killedAt))
          .isLessThan(leaveDetectionMillis + windowMillis + 1500);
      ConnectResponse left = bob.await("member_left", ConnectResponse::hasMemberLeft);
      assertThat(left.getMemberLeft().getReason()).isEqualTo(nul.getNullReason());
      assertThat(Events.nulls("alice", bob.drainFor(Duration.ofMillis(300)))).isZero();
    }
  }
}
