package dev.presence.server.it;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.leave;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.support.Frames;
import dev.presence.server.support.PausedReader;
import dev.presence.server.support.Poll;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PRS-END-6 over loopback gRPC: leave is answered with OK once its consequences are committed, while a
 * subscriber that owes them stopped reading; that subscriber gets them, in order, when it reads again.
 */
class LeaveCommitIT {
  private static final int FILLERS = 20;
  /** Far above W + 25 ms plus loopback latency, far below "until the stalled subscriber reads". */
  private static final Duration PROMPT = Duration.ofSeconds(1);

  private ServerFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static Struct bigState(int x) {
    return Struct.newBuilder()
        .putFields("x", Value.newBuilder().setNumberValue(x).build())
        .putFields("pad", Value.newBuilder().setStringValue("p".repeat(8000)).build())
        .build();
  }

  @Test
  @DisplayName("PRS-END-6: leave ends the call with OK promptly while a subscriber that owes its null is stalled")
  void leaveDoesNotWaitForStalledSubscriber() throws Exception {
    fx = ServerFixture.start(b -> b);
    TestSession alice = fx.open("r", "alice");
    alice.send(update(1));
    alice.sync();
    PausedReader slow = PausedReader.connect(fx.smallWindowChannel());
    slow.send(Frames.open("r", "slow")).send(subscribe(1, "all", all()));

    List<TestSession> fillers = new ArrayList<>();
    for (int i = 0; i < FILLERS; i++) {
      fillers.add(fx.open("r", "f" + i));
    }
    for (int round = 0; round < 2; round++) {
      for (TestSession f : fillers) {
        f.send(update(bigState(round)));
      }
      for (TestSession f : fillers) {
        f.sync();
      }
    }
    Poll.until("the subscriber stalled with a backlog", Duration.ofSeconds(20),
        () -> fx.pendingHighWater() >= FILLERS, fx::pendingHighWater);

    long sentAt = System.nanoTime();
    alice.send(leave());
    assertThat(alice.awaitClose(PROMPT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(PROMPT);

    slow.resume();
    boolean nullSeen = false;
    while (true) {
      ConnectResponse f = slow.poll(TestSession.DEADLINE);
      assertThat(f).as("member_left about alice").isNotNull();
      for (PresenceEvent e : f.getPresence().getEventsList()) {
        if (e.getUserId().equals("alice") && !e.hasState()) {
          assertThat(e.getNullReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
          nullSeen = true;
        }
      }
      if (f.hasMemberLeft() && f.getMemberLeft().getUserId().equals("alice")) {
        assertThat(nullSeen).as("the null precedes member_left (PRS-MEM-2)").isTrue();
        break;
      }
    }
  }
}
