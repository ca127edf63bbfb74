package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static dev.presence.server.support.Frames.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Membership events (PRS-MEM-*) and room isolation (PRS-TGT-5). */
class MembershipIT {
  private static final Duration QUIET = Duration.ofMillis(400);
  private ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("PRS-MEM-1/PRS-MEM-4: member_joined reaches every other session, unfiltered, but not the joiner; a second tab joins silently")
  void memberJoined() {
    TestSession bob = fx.open("r", "bob");
    bob.send(subscribe(1, "nobody", user("nobody")));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    TestSession alice = fx.open("r", "alice");
    ConnectResponse joined = bob.await("member_joined", ConnectResponse::hasMemberJoined);
    assertThat(joined.getMemberJoined().getUser().getUserId()).isEqualTo("alice");
    assertThat(joined.getMemberJoined().getUser().getDisplayName()).isEqualTo("ALICE");
    assertThat(alice.drainFor(QUIET)).noneMatch(ConnectResponse::hasMemberJoined);
    fx.open("r", "alice");
    assertThat(bob.drainFor(QUIET)).noneMatch(ConnectResponse::hasMemberJoined);
  }

  @Test
  @DisplayName("PRS-MEM-2/PRS-MEM-3: member_left follows the null; member_joined precedes presence of the user")
  void orderAroundPresence() {
    TestSession bob = fx.openWatchingAll("r", "bob");
    TestSession alice = fx.open("r", "alice");
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    alice.halfClose();
    bob.await("member_left", ConnectResponse::hasMemberLeft);
    List<ConnectResponse> frames = bob.history().stream().map(TestSession.Received::frame).toList();
    int joinedAt = indexOf(frames, ConnectResponse::hasMemberJoined);
    int stateAt = indexOf(frames, f -> f.hasPresence() && f.getPresence().getEventsList().stream().anyMatch(x(1)));
    int nullAt = indexOf(frames, f -> f.hasPresence()
        && f.getPresence().getEventsList().stream().anyMatch(e -> !e.hasState()));
    int leftAt = indexOf(frames, ConnectResponse::hasMemberLeft);
    assertThat(joinedAt).isLessThan(stateAt);
    assertThat(stateAt).isLessThan(nullAt);
    assertThat(nullAt).isLessThan(leftAt);
    assertThat(frames.get(leftAt).getMemberLeft().getReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
  }

  @Test
  @DisplayName("PRS-TGT-5: rooms are isolated; no event, membership change or error crosses rooms")
  void roomsIsolated() {
    TestSession bob = fx.openWatchingAll("room-a", "bob");
    TestSession alice = fx.open("room-b", "alice");
    alice.send(update(1));
    alice.send(dev.presence.protocol.v1.ConnectRequest.getDefaultInstance());
    alice.await("error", ConnectResponse::hasError);
    TestSession aliceInA = fx.open("room-a", "alice");
    aliceInA.send(update(2));
    bob.awaitEvent("alice", x(2));
    alice.halfClose();
    List<ConnectResponse> frames = bob.drainFor(QUIET);
    assertThat(frames).noneMatch(ConnectResponse::hasMemberLeft);
    assertThat(bob.history()).noneMatch(r -> r.frame().hasError());
    assertThat(Events.about("alice", bob.history().stream().map(TestSession.Received::frame).toList()))
        .noneMatch(x(1));
    assertThat(bob.opened().getMembersList()).extracting(dev.presence.protocol.v1.User::getUserId)
        .containsExactly("bob");
  }

  @Test
  @DisplayName("An empty room is removed from the server")
  void emptyRoomRemoved() {
    TestSession a = fx.open("gone", "alice");
    assertThat(fx.server().roomCount()).isEqualTo(1);
    a.halfClose();
    a.awaitClose();
    long deadline = System.nanoTime() + TestSession.DEADLINE.toNanos();
    while (fx.server().roomCount() != 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(fx.server().roomCount()).isZero();
  }

  private static int indexOf(List<ConnectResponse> frames, java.util.function.Predicate<ConnectResponse> p) {
    for (int i = 0; i < frames.size(); i++) {
      if (p.test(frames.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no matching frame in " + frames);
  }
}
