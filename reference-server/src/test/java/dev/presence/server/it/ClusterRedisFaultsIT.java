package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.state;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.cluster.StoredStates;
import dev.presence.server.support.BlackholeProxy;
import dev.presence.server.support.RedisProcess;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What each Redis fault does, as CLUSTER.md defines it: local sessions keep working throughout, other nodes'
 * users stay as last seen (no null), and once Redis is back every node converges on the truth with no ghost and
 * no duplicate null. A node cut off from Redis is, to the rest of the cluster, a lost node.
 */
class ClusterRedisFaultsIT {
  private static final int LEAVE_DETECTION_MILLIS = 2000;
  /** Longer than the leave detection time, so that every liveness key expires while Redis is away. */
  private static final long OUTAGE_MILLIS = 3000;
  private RedisProcess redis;
  private BlackholeProxy proxy;
  private ServerFixture a;
  private ServerFixture b;

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {a, b, proxy, redis}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private void startNodes(String redisOfA) throws Exception {
    startNodes(redisOfA, redis.uri());
  }

  private void startNodes(String redisOfA, String redisOfB) throws Exception {
    a = ServerFixture.start(c -> c.cluster(List.of(redisOfA)).leaveDetectionMillis(LEAVE_DETECTION_MILLIS)
        .pingIntervalMillis(0));
    b = ServerFixture.start(c -> c.cluster(List.of(redisOfB)).leaveDetectionMillis(LEAVE_DETECTION_MILLIS)
        .pingIntervalMillis(0));
  }

  @Test
  @DisplayName("Redis paused past the bound: local sessions keep working, no null anywhere, reconverged after")
  void pausedRedis() throws Exception {
    startNodes(redis.uri());
    Room room = Room.open(a, b);
    redis.pause();
    long pausedAt = System.nanoTime();
    room.alice.send(update(2));
    room.carol.awaitEvent("alice", x(2));
    room.dave.halfClose();
    awaitOutageOver(pausedAt);
    redis.resume();
    long resumedAt = System.nanoTime();
    room.bob.awaitEvent("alice", x(2));
    room.carol.awaitEvent("dave", nullWith(NullReason.NULL_REASON_LEFT));
    report("Redis paused " + OUTAGE_MILLIS + " ms", resumedAt);
    room.assertNoGhostsAndNoDuplicateNulls();
  }

  @Test
  @DisplayName("Redis restarted empty: local sessions keep working, no null for anyone still there, reconverged after")
  void restartedEmpty() throws Exception {
    startNodes(redis.uri());
    Room room = Room.open(a, b);
    redis.restartEmpty();
    long restartedAt = System.nanoTime();
    room.alice.send(update(3));
    room.carol.awaitEvent("alice", x(3));
    room.bob.awaitEvent("alice", x(3));
    room.dave.halfClose();
    room.carol.awaitEvent("dave", nullWith(NullReason.NULL_REASON_LEFT));
    report("Redis restarted empty", restartedAt);
    room.assertNoGhostsAndNoDuplicateNulls();
  }

  @Test
  @DisplayName("Redis restarted empty and a node re-subscribed after a change was published: it still gets the change")
  void resubscribedAfterAChange() throws Exception {
    proxy = new BlackholeProxy(redis.port());
    startNodes(redis.uri(), "redis://127.0.0.1:" + proxy.port());
    Room room = Room.open(a, b);
    proxy.holdSubscriptions();
    redis.restartEmpty();
    long restartedAt = System.nanoTime();
    awaitBothNodesRegistered();
    room.alice.send(update(3));
    room.carol.awaitEvent("alice", x(3));
    awaitRedis("Redis holds alice's x=3, so its change is published",
        () -> StoredStates.of(redis.uri(), "r").contains(state("x", 3)));
    proxy.releaseSubscriptions();
    room.bob.awaitEvent("alice", x(3));
    report("Redis restarted empty, node B re-subscribed late", restartedAt);
    room.assertNoGhostsAndNoDuplicateNulls();
  }

  @Test
  @DisplayName("A room a node first opened while Redis was down: once Redis is back, the node hears its changes")
  void roomOpenedWhileRedisWasDown() throws Exception {
    startNodes(redis.uri());
    redis.kill();
    TestSession erin = b.openWatchingAll("late", "erin");
    redis.startEmpty();
    long restartedAt = System.nanoTime();
    awaitBothNodesRegistered();
    TestSession frank = a.open("late", "frank");
    frank.send(update(7));
    erin.awaitEvent("frank", x(7));
    report("Redis down while a room opened", restartedAt);
  }

  @Test
  @DisplayName("Both nodes' subscription connections cut: each node re-reads the room once, and hears its changes")
  void subscriptionConnectionsCut() throws Exception {
    startNodes(redis.uri());
    Room room = Room.open(a, b);
    redis.cli("CONFIG", "RESETSTAT");
    redis.cli("CLIENT", "KILL", "TYPE", "pubsub");
    long cutAt = System.nanoTime();
    awaitRedis("both nodes have subscribed to the room again",
        () -> redis.cli("CLIENT", "LIST", "TYPE", "pubsub").lines().filter(l -> l.contains(" ssub=1 ")).count() == 2);
    room.alice.send(update(2));
    room.bob.awaitEvent("alice", x(2));
    room.dave.send(update(3));
    room.carol.awaitEvent("dave", x(3));
    report("subscription connections cut", cutAt);
    // A room's re-read runs one script per local session and one for the snapshot; each state set runs one. Each
    // node holds two of the room's sessions, so one re-read per node and the two states make 2 * (2 + 1) + 2.
    assertThat(scriptCalls()).as("scripts run since the cut").isEqualTo(2 * (2 + 1) + 2);
    room.assertNoGhostsAndNoDuplicateNulls();
  }

  /** Scripts Redis ran since its statistics were last reset: every room operation of a node is one. */
  private long scriptCalls() throws Exception {
    Matcher calls = Pattern.compile("^cmdstat_evalsha:calls=(\\d+),", Pattern.MULTILINE)
        .matcher(redis.cli("INFO", "commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  private void awaitBothNodesRegistered() throws Exception {
    awaitRedis("both nodes have put back their liveness keys",
        () -> redis.cli("KEYS", "presence:node:*").lines().filter(l -> !l.isBlank()).count() == 2);
  }

  private static void awaitRedis(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!check.holds()) {
      assertThat(System.nanoTime()).as(what + " within 5 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  @Test
  @DisplayName("A departure a node missed while cut off from Redis reaches its users with its real reason")
  void departureMissedWhileCutOff() throws Exception {
    proxy = new BlackholeProxy(redis.port());
    startNodes("redis://127.0.0.1:" + proxy.port());
    Room room = Room.open(a, b);
    proxy.swallow();
    long cutAt = System.nanoTime();
    room.dave.halfClose();
    room.bob.awaitEvent("dave", nullWith(NullReason.NULL_REASON_LEFT));
    awaitEndRemembered();
    long cutMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
    proxy.healByReset();
    long healedAt = System.nanoTime();
    // Node A's snapshot after healing no longer holds dave, and dave's end message is older than it.
    room.carol.awaitEvent("dave", nullWith(NullReason.NULL_REASON_LEFT));
    report("cut of " + cutMillis + " ms (A's seats are reaped only past " + LEAVE_DETECTION_MILLIS / 2 + " ms)",
        healedAt);
    room.assertNoGhostsAndNoDuplicateNulls();
  }

  private void awaitEndRemembered() throws Exception {
    awaitRedis("Redis remembers dave's end", () -> "1".equals(redis.cli("HLEN", "presence:{r}:ended").trim()));
  }

  @Test
  @DisplayName("A node cut off from Redis: its users time out for the others, its own sessions keep working, all return on healing")
  void partitionedNode() throws Exception {
    proxy = new BlackholeProxy(redis.port());
    startNodes("redis://127.0.0.1:" + proxy.port());
    Room room = Room.open(a, b);
    proxy.swallow();
    long cutAt = System.nanoTime();
    room.alice.send(update(4));
    room.carol.awaitEvent("alice", x(4));
    TestSession.Received lost = room.bob.awaitReceived("alice's TIMED_OUT null on the other side",
        f -> Events.about("alice", List.of(f)).stream().anyMatch(nullWith(NullReason.NULL_REASON_TIMED_OUT)));
    System.out.printf("partition: alice timed out on the other side %d ms after the cut%n",
        TimeUnit.NANOSECONDS.toMillis(lost.atNanos() - cutAt));
    room.dave.send(update(5));
    assertThat(Events.nulls("dave", room.carol.drainFor(Duration.ofMillis(300)))).isZero();
    proxy.healByReset();
    long healedAt = System.nanoTime();
    room.bob.awaitEvent("alice", x(4));
    room.carol.awaitEvent("dave", x(5));
    report("partition healed", healedAt);
    assertThat(Events.nulls("alice", room.bob.drainFor(Duration.ofMillis(500)))).isZero();
    assertThat(room.carol.drainFor(Duration.ofMillis(100))).as("carol after healing")
        .noneMatch(f -> Events.about("dave", List.of(f)).stream().anyMatch(e -> !e.hasState()));
  }

  private static void awaitOutageOver(long since) throws InterruptedException {
    long left = OUTAGE_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    if (left > 0) {
      // The fault itself lasts a fixed time; nothing is being waited for here.
      Thread.sleep(left);
    }
  }

  /** @param since when the fault ended: Redis back, the partition healed, or the connections cut */
  private static void report(String fault, long since) {
    System.out.printf("%s: reconverged %d ms after the fault ended%n", fault,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
  }

  /** Alice and carol on node A, bob and dave on node B, everyone watching everyone, with a state each. */
  private record Room(TestSession alice, TestSession carol, TestSession bob, TestSession dave) {
    static Room open(ServerFixture a, ServerFixture b) {
      TestSession carol = a.openWatchingAll("r", "carol");
      TestSession bob = b.openWatchingAll("r", "bob");
      TestSession alice = a.open("r", "alice");
      TestSession dave = b.open("r", "dave");
      alice.send(update(1));
      dave.send(update(1));
      for (TestSession watcher : List.of(carol, bob)) {
        Events.awaitEach(watcher, java.util.Map.of("alice", x(1), "dave", x(1)));
      }
      return new Room(alice, carol, bob, dave);
    }

    void assertNoGhostsAndNoDuplicateNulls() {
      List<ConnectResponse> carolLater = carol.drainFor(Duration.ofMillis(2 * LEAVE_DETECTION_MILLIS));
      List<ConnectResponse> bobLater = bob.drainFor(Duration.ofMillis(100));
      assertThat(Events.nulls("alice", carolLater) + Events.nulls("alice", bobLater)).isZero();
      assertThat(Events.nulls("dave", carolLater)).as("a second null for dave").isZero();
      assertThat(carolLater).noneMatch(f -> f.hasMemberJoined());
      assertThat(history(carol, "alice")).isZero();
      assertThat(history(bob, "alice")).isZero();
    }

    private static long history(TestSession watcher, String user) {
      return Events.nulls(user, watcher.history().stream().map(TestSession.Received::frame).toList());
    }
  }
}
