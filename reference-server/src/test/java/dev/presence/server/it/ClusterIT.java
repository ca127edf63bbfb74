package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.follow;
import static dev.presence.server.support.Frames.following;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.User;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.support.RedisProcess;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two nodes on one Redis serve one room: every rule holds as if the sessions shared a node. */
class ClusterIT {
  /** Longer than any delay the server may add (W + 25 ms, plus a Redis round trip) with slack for a busy machine. */
  private static final Duration QUIET = Duration.ofMillis(500);
  private final List<RedisProcess> redis = new ArrayList<>();
  private List<String> addresses;
  private ServerFixture a;
  private ServerFixture b;

  @BeforeEach
  void start() throws Exception {
    redis.addAll(startRedis());
    addresses = redis.stream().map(RedisProcess::uri).toList();
  }

  /** @return the Redis processes the nodes share; here one */
  List<RedisProcess> startRedis() throws Exception {
    return List.of(RedisProcess.start());
  }

  private void startNodes(UnaryOperator<ServerConfig.Builder> customize) throws Exception {
    a = ServerFixture.start(c -> customize.apply(c.cluster(addresses)));
    b = ServerFixture.start(c -> customize.apply(c.cluster(addresses)));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {a, b}) {
      if (c != null) {
        c.close();
      }
    }
    for (RedisProcess r : redis) {
      r.close();
    }
  }

  @Test
  @DisplayName("PRS-EVT-1/PRS-MEM-2/PRS-END-1 across nodes: joins, states and a departure reach the other node")
  void statesAndMembershipCrossNodes() throws Exception {
    startNodes(c -> c);
    TestSession bob = b.openWatchingAll("r", "bob");
    TestSession alice = a.open("r", "alice");
    assertThat(alice.opened().getMembersList()).extracting(User::getUserId).contains("bob", "alice");
    assertThat(bob.await("member_joined", ConnectResponse::hasMemberJoined).getMemberJoined().getUser().getUserId())
        .isEqualTo("alice");
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    alice.send(update(2));
    bob.awaitEvent("alice", x(2));
    alice.halfClose();
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));
    assertThat(bob.await("member_left", ConnectResponse::hasMemberLeft).getMemberLeft().getUserId())
        .isEqualTo("alice");
    assertThat(Events.nulls("alice", bob.drainFor(QUIET))).isZero();
  }

  @Test
  @DisplayName("PRS-SUB-3 across nodes: a snapshot on one node holds the states set on another")
  void snapshotHoldsRemoteStates() throws Exception {
    startNodes(c -> c);
    TestSession alice = a.open("r", "alice");
    TestSession carol = a.openWatchingAll("r", "carol");
    alice.send(update(7));
    carol.awaitEvent("alice", x(7));
    TestSession bob = b.open("r", "bob");
    bob.send(subscribe(1, "all", all()));
    bob.awaitEvent("alice", x(7));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
  }

  @Test
  @DisplayName("PRS-SES-2/PRS-SES-4 across nodes: tabs of one user on two nodes are one user; the latest state wins")
  void tabsOnTwoNodes() throws Exception {
    startNodes(c -> c);
    TestSession bob = a.openWatchingAll("r", "bob");
    TestSession tab1 = a.open("r", "alice");
    TestSession tab2 = b.open("r", "alice");
    tab1.send(update(1));
    bob.awaitEvent("alice", x(1));
    tab2.send(update(2));
    bob.awaitEvent("alice", x(2));
    tab1.send(update(3));
    bob.awaitEvent("alice", x(3));
    tab1.halfClose();
    bob.awaitEvent("alice", x(2));
    List<ConnectResponse> later = bob.drainFor(QUIET);
    assertThat(Events.nulls("alice", later)).isZero();
    assertThat(later).noneMatch(ConnectResponse::hasMemberLeft);
    tab2.halfClose();
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));
  }

  @Test
  @DisplayName("PRS-LIM-3 across nodes: the per-user and per-room session limits count every node")
  void limitsCountEveryNode() throws Exception {
    startNodes(c -> c.maxSessionsPerUser(2).maxSessionsPerRoom(3));
    a.open("r", "alice");
    b.open("r", "alice");
    TestSession third = TestSession.connect(a.channel());
    third.send(dev.presence.server.support.Frames.open("r", "alice"));
    assertThat(third.awaitErrorInfo().getReason()).isEqualTo("TOO_MANY_SESSIONS");
    b.open("r", "bob");
    TestSession fourth = TestSession.connect(b.channel());
    fourth.send(dev.presence.server.support.Frames.open("r", "carol"));
    assertThat(fourth.awaitErrorInfo().getReason()).isEqualTo("TOO_MANY_SESSIONS");
  }

  @Test
  @DisplayName("PRS-FOL-3 across nodes: following a user on another node delivers their state to 'following'")
  void followAcrossNodes() throws Exception {
    startNodes(c -> c);
    TestSession alice = a.open("r", "alice");
    alice.send(update(4));
    TestSession bob = b.open("r", "bob");
    bob.send(subscribe(1, "f", following()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    bob.send(follow(2, "alice"));
    bob.awaitEvent("alice", x(4));
    alice.send(update(5));
    bob.awaitEvent("alice", x(5));
  }
}
