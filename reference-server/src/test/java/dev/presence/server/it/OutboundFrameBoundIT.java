package dev.presence.server.it;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.support.Frames;
import dev.presence.server.support.PausedReader;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PRS-TRN-7 over loopback gRPC: a '*' subscriber that stops reading in a room of 160 users with 8 KB
 * states is owed far more than one frame may carry; when it reads again, every frame it receives is within
 * the advertised max_outbound_frame_bytes and its views end at every user's last state. It also shows
 * PRS-THR-9: the session survives the pause and answers the ping it sent while stalled.
 */
class OutboundFrameBoundIT {
  private static final int USERS = 160;
  private static final int MIN_ROUNDS = 3;

  private ServerFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** A state of exactly max_state_bytes (8192, the default). */
  private static Struct maxState(int round) {
    Struct.Builder b = Struct.newBuilder().putFields("round", Value.newBuilder().setNumberValue(round).build());
    int pad = 8192 - b.build().getSerializedSize();
    Struct s;
    do {
      pad--;
      s = b.putFields("pad", Value.newBuilder().setStringValue("p".repeat(pad)).build()).build();
    } while (s.getSerializedSize() > 8192);
    return s;
  }

  @Test
  @DisplayName("PRS-TRN-7/PRS-THR-9: a stalled '*' subscriber in a 160-user room of 8 KB states gets only frames within the bound and ends with the right views")
  void stalledSubscriberGetsBoundedFrames() throws Exception {
    fx = ServerFixture.start(b -> b);
    List<ManagedChannel> channels = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      channels.add(fx.channel());
    }
    List<TestSession> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      TestSession u = TestSession.open(channels.get(i % channels.size()), "big-room", "u" + i);
      u.send(update(maxState(0)));
      users.add(u);
    }

    PausedReader slow = PausedReader.connect(fx.smallWindowChannel());
    slow.send(Frames.open("big-room", "slow")).send(subscribe(1, "all", all()));
    // The subscribe travels on its own connection, so the server may take it after some rounds: rounds go on
    // until every user has a change pending behind the snapshot the subscriber does not read.
    int rounds = 0;
    long backlogDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (rounds < MIN_ROUNDS || fx.pendingHighWater() < USERS) {
      assertThat(System.nanoTime()).as("the stalled subscriber holds a backlog for every user; %s so far",
          fx.pendingHighWater()).isLessThan(backlogDeadline);
      rounds++;
      for (TestSession u : users) {
        u.send(update(maxState(rounds)));
      }
      for (TestSession u : users) {
        u.sync();
      }
    }
    slow.send(Frames.ping(42));

    slow.resume();
    ConnectResponse opened = slow.poll(Duration.ofSeconds(5));
    assertThat(opened.hasOpened()).isTrue();
    int bound = opened.getOpened().getLimits().getMaxOutboundFrameBytes();
    assertThat(bound).isEqualTo(262_144);

    Struct last = maxState(rounds);
    Map<String, Struct> views = new HashMap<>();
    List<Integer> sizes = new ArrayList<>();
    boolean ponged = false;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!(ponged && views.size() == USERS && views.values().stream().allMatch(last::equals))) {
      assertThat(System.nanoTime()).as("views reach every user's last state; %s users so far", views.size())
          .isLessThan(deadline);
      ConnectResponse f = slow.poll(Duration.ofMillis(200));
      if (f == null) {
        continue;
      }
      sizes.add(f.getSerializedSize());
      ponged |= f.hasPong() && f.getPong().getNonce() == 42;
      for (PresenceEvent e : f.getPresence().getEventsList()) {
        if (e.hasState()) {
          views.put(e.getUserId(), e.getState());
        } else {
          views.remove(e.getUserId());
        }
      }
    }
    assertThat(sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(bound));
    assertThat(sizes.stream().filter(size -> size > bound / 2)).as("the backlog needed several large frames")
        .hasSizeGreaterThan(4);
  }
}
