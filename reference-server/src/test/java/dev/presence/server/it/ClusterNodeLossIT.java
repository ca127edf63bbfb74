package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.Main;
import dev.presence.server.support.ChildProcess;
import dev.presence.server.support.RedisProcess;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node killed with SIGKILL is a lost client for every session on it: the other nodes' subscribers get one
 * TIMED_OUT null per user whose last session was there, within leave_detection_millis + W (PRS-LIV-1).
 */
class ClusterNodeLossIT {
  private static final int LEAVE_DETECTION_MILLIS = 2000;
  private static final int WINDOW_MILLIS = 50;
  /** Scheduling slack on a loaded two-core machine, as for a killed client process (ProcessKillIT). */
  private static final int TOLERANCE_MILLIS = 1500;
  private RedisProcess redis;
  private ServerFixture a;
  private ServerFixture c;
  private ManagedChannel toB;

  @AfterEach
  void stop() throws Exception {
    if (toB != null) {
      toB.shutdownNow();
    }
    for (AutoCloseable closeable : new AutoCloseable[] {a, c, redis}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @Test
  @DisplayName("PRS-LIV-1 across nodes: kill -9 of a node -> exactly one TIMED_OUT null per lost user within the bound, none for a user with a tab elsewhere")
  void killedNode() throws Exception {
    redis = RedisProcess.start();
    a = ServerFixture.start(b -> b.cluster(List.of(redis.uri())).leaveDetectionMillis(LEAVE_DETECTION_MILLIS)
        .pingIntervalMillis(0).throttleWindowMillis(WINDOW_MILLIS));
    c = ServerFixture.start(b -> b.cluster(List.of(redis.uri())).leaveDetectionMillis(LEAVE_DETECTION_MILLIS)
        .pingIntervalMillis(0).throttleWindowMillis(WINDOW_MILLIS));
    try (ChildProcess nodeB = ChildProcess.start(Main.class, "--host", "127.0.0.1", "--port", "0",
        "--metrics-port", "0", "--ws-port", "0", "--cluster", redis.uri(), "--leave-detection-millis",
        String.valueOf(LEAVE_DETECTION_MILLIS), "--ping-interval-millis", "0", "--throttle-window-millis",
        String.valueOf(WINDOW_MILLIS), "--warmup-millis", "0")) {
      String line = nodeB.awaitLine("listening line", l -> l.contains("listening on"), Duration.ofSeconds(30));
      Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(line);
      assertThat(m.find()).as(line).isTrue();
      toB = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(m.group(1))).usePlaintext().build();

      TestSession bob = a.openWatchingAll("r", "bob");
      TestSession carol = c.openWatchingAll("r", "carol");
      TestSession alice = TestSession.open(toB, "r", "alice");
      TestSession daveOnA = a.open("r", "dave");
      TestSession daveOnB = TestSession.open(toB, "r", "dave");
      alice.send(dev.presence.server.support.Frames.update(1));
      daveOnA.send(dev.presence.server.support.Frames.update(2));
      bob.awaitEvent("dave", x(2));
      daveOnB.send(dev.presence.server.support.Frames.update(3));
      for (TestSession watcher : List.of(bob, carol)) {
        Events.awaitEach(watcher, java.util.Map.of("alice", x(1), "dave", x(3)));
      }

      long killedAt = System.nanoTime();
      nodeB.process().destroyForcibly();
      assertThat(nodeB.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
      for (TestSession watcher : List.of(bob, carol)) {
        Outcome outcome = new Outcome();
        TestSession.Received last = watcher.awaitReceived("alice's null and dave back at x=2",
            f -> outcome.see(f) && outcome.done());
        long nullAt = watcher.history().stream().filter(r -> outcome.nullFrame == r.frame()).findFirst()
            .orElse(last).atNanos();
        long millis = TimeUnit.NANOSECONDS.toMillis(nullAt - killedAt);
        System.out.printf("node loss: alice's TIMED_OUT null %d ms after kill -9 (bound %d + %d ms)%n", millis,
            LEAVE_DETECTION_MILLIS, WINDOW_MILLIS);
        assertThat(outcome.reason).isEqualTo(NullReason.NULL_REASON_TIMED_OUT);
        assertThat(millis).isLessThan(LEAVE_DETECTION_MILLIS + WINDOW_MILLIS + TOLERANCE_MILLIS);
        List<ConnectResponse> later = watcher.drainFor(Duration.ofMillis(500));
        assertThat(Events.nulls("alice", later)).isZero();
        assertThat(Events.nulls("dave", later)).isZero();
        assertThat(outcome.daveNulls).isZero();
        assertThat(later).noneMatch(f -> f.hasMemberLeft() && f.getMemberLeft().getUserId().equals("dave"));
      }
    }
  }

  /** What a watcher saw after the kill, frame by frame, so that events sharing a frame are all counted. */
  private static final class Outcome {
    ConnectResponse nullFrame;
    NullReason reason;
    int daveNulls;
    boolean daveBack;

    boolean see(ConnectResponse frame) {
      for (PresenceEvent e : Events.about("alice", List.of(frame))) {
        if (!e.hasState() && nullFrame == null) {
          nullFrame = frame;
          reason = e.getNullReason();
        }
      }
      for (PresenceEvent e : Events.about("dave", List.of(frame))) {
        if (!e.hasState()) {
          daveNulls++;
        } else if (x(2).test(e)) {
          daveBack = true;
        }
      }
      return true;
    }

    boolean done() {
      return nullFrame != null && daveBack;
    }
  }
}
