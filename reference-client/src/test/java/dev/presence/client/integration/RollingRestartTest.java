package dev.presence.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import dev.presence.server.Main;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.support.ChildProcess;
import dev.presence.server.support.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart of a three-node cluster behind a load balancer, with 60 clients in one room: each node in
 * turn gets SIGTERM, leaves the balancer's rotation (its health turned NOT_SERVING), drains, and is replaced by a
 * new node. The clients move to other nodes make-before-break (SPEC.md §13.2), so no client sees a null, a
 * departure or an arrival of any user whose client stayed up.
 */
class RollingRestartTest {
  private static final int CLIENTS = 60;
  private static final int NODES = 3;
  /** The server's default drain window, which the nodes run with. */
  private static final int DRAIN_MILLIS = ServerConfig.DEFAULT_DRAIN_MILLIS;
  private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

  private final List<ChildProcess> nodes = new ArrayList<>();
  private final List<Integer> inRotation = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextBackend = new AtomicInteger();
  private final List<PresenceClient> clients = new ArrayList<>();
  private RedisProcess redis;
  private TcpProxy balancer;

  @AfterEach
  void stop() throws Exception {
    for (PresenceClient c : clients) {
      c.close();
    }
    if (balancer != null) {
      balancer.close();
    }
    for (ChildProcess node : nodes) {
      node.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private int startNode() throws Exception {
    ChildProcess node = ChildProcess.start(Main.class, "--host", "127.0.0.1", "--port", "0", "--ws-port", "0",
        "--metrics-port", "0", "--cluster", redis.uri(), "--warmup-millis", "0");
    nodes.add(node);
    String line = node.awaitLine("listening line", l -> l.contains("listening on"), Duration.ofSeconds(30));
    Matcher m = PORT.matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private int pickBackend() {
    List<Integer> ports = List.copyOf(inRotation);
    return ports.get(Math.floorMod(nextBackend.getAndIncrement(), ports.size()));
  }

  @Test
  void rollingRestartShowsNoFlash() throws Exception {
    redis = RedisProcess.start();
    for (int i = 0; i < NODES; i++) {
      inRotation.add(startNode());
    }
    balancer = new TcpProxy(this::pickBackend);
    List<Watch> watches = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      PresenceClient client = PresenceClient.builder().target(balancer.target()).room("rolling")
          .devIdentity("u" + i, "U" + i).reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(200)).build();
      clients.add(client);
      Watch watch = new Watch();
      client.presence().sync(SyncTarget.all(), watch.changes::add);
      client.users().onMembership(watch);
      watches.add(watch);
      client.connect().get(30, TimeUnit.SECONDS);
      client.presence().update(Map.of("x", i));
    }
    RealServer.await("every client sees all " + CLIENTS + " states",
        () -> clients.stream().allMatch(c -> c.presence().getStates().size() == CLIENTS));
    watches.forEach(Watch::startPhase);

    for (int i = 0; i < NODES; i++) {
      ChildProcess old = nodes.get(i);
      int oldPort = inRotation.get(0);
      // The balancer stops sending new connections to a node whose health says NOT_SERVING, which it does at once.
      inRotation.remove(Integer.valueOf(oldPort));
      long termAt = System.nanoTime();
      old.process().destroy();
      inRotation.add(startNode());
      assertThat(old.process().waitFor(DRAIN_MILLIS + 10_000, TimeUnit.MILLISECONDS)).isTrue();
      System.out.printf("rolling restart: node %d exited %d ms after SIGTERM (drain window %d ms)%n", i + 1,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termAt), DRAIN_MILLIS);
      assertThat(old.process().exitValue()).as("exit code of a drained node").isZero();
    }
    for (int i = 0; i < CLIENTS; i++) {
      clients.get(i).presence().update(Map.of("x", i, "after", true));
    }
    RealServer.await("every client sees every state set after the restarts",
        () -> clients.stream().allMatch(c -> c.presence().getStates().values().stream()
            .filter(s -> s.has("after")).count() == CLIENTS));
    for (int i = 0; i < CLIENTS; i++) {
      Watch w = watches.get(i);
      assertThat(w.nulls()).as("nulls seen by u%d during the restarts", i).isEmpty();
      assertThat(w.left).as("departures seen by u%d", i).isEmpty();
      assertThat(w.joined).as("arrivals seen by u%d", i).isEmpty();
    }
  }

  /** What one client saw from the start of the rolling restart. */
  private static final class Watch implements MembershipListener {
    final List<PresenceChange> changes = new CopyOnWriteArrayList<>();
    final List<String> joined = new CopyOnWriteArrayList<>();
    final List<String> left = new CopyOnWriteArrayList<>();
    private volatile boolean recording;

    void startPhase() {
      changes.clear();
      recording = true;
    }

    List<PresenceChange> nulls() {
      return changes.stream().filter(PresenceChange::isNull).toList();
    }

    @Override
    public void onJoined(User user) {
      if (recording) {
        joined.add(user.id());
      }
    }

    @Override
    public void onLeft(User user, NullReason reason) {
      if (recording) {
        left.add(user.id() + " " + reason);
      }
    }
  }
}
