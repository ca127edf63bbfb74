package dev.presence.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.User;
import dev.presence.server.config.ConfigException;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.room.Replication;
import dev.presence.server.room.Room;
import dev.presence.server.room.RoomLink;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership in a cluster on Redis: the connections, the node's liveness key, the detection of lost
 * nodes, and a {@link ClusterLink} per room. One {@code redis://} or {@code rediss://} address means a single
 * Redis (or a primary behind a proxy); several mean the seeds of a Redis Cluster.
 *
 * <p>A node is alive while its key {@code presence:node:<id>} exists. It refreshes the key every tenth of the
 * leave detection time and the key lives half of it, so a node that dies is found missing within
 * {@code 0.6 × leave_detection_millis}, and another node ends its seats in every room they share.
 */
public final class RedisCluster implements Replication, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
  private static final byte[] NODE_KEY_PREFIX = Netstrings.bytes("presence:node:");

  private final String id = newId();
  private final byte[] nodeKey;
  private final ServerConfig config;
  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterAsyncCommands<byte[], byte[]> redis;
  private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private final ScheduledExecutorService scheduler;
  private final Set<ClusterLink> links = ConcurrentHashMap.newKeySet();
  private final Map<ByteBuffer, Set<ClusterLink>> channels = new HashMap<>();
  private final long keyLifetimeMillis;
  private final String addresses;

  private volatile boolean healthy = true;
  private volatile long healthySinceNanos = System.nanoTime();
  private volatile boolean closed;

  private RedisCluster(List<RedisURI> uris, ServerConfig config) {
    this.config = config;
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "presence-cluster");
      t.setDaemon(true);
      return t;
    });
    this.nodeKey = nodeKey(id);
    this.keyLifetimeMillis = Math.max(50, config.leaveDetectionMillis() / 2);
    this.addresses = uris.toString();
    Duration timeout = Duration.ofMillis(Math.min(1000, Math.max(250, config.leaveDetectionMillis() / 10)));
    TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
    if (uris.size() == 1) {
      RedisClient single = RedisClient.create(uris.get(0));
      single.setOptions(ClientOptions.builder().timeoutOptions(timeouts)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
      client = single;
      StatefulRedisConnection<byte[], byte[]> c = single.connect(ByteArrayCodec.INSTANCE);
      connection = c;
      redis = c.async();
      pubsub = single.connectPubSub(ByteArrayCodec.INSTANCE);
    } else {
      RedisClusterClient cluster = RedisClusterClient.create(uris);
      // Connections to the shards open lazily; a command waits for its shard's connection, within the timeout.
      // Lettuce's default topology options refresh on every adaptive trigger (a MOVED or ASK redirect, repeated
      // reconnects, an uncovered slot, an unknown node), which is what a failover needs.
      cluster.setOptions(ClusterClientOptions.builder().timeoutOptions(timeouts)
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.create()).build());
      client = cluster;
      StatefulRedisClusterConnection<byte[], byte[]> c = cluster.connect(ByteArrayCodec.INSTANCE);
      connection = c;
      redis = c.async();
      pubsub = cluster.connectPubSub(ByteArrayCodec.INSTANCE);
    }
    pubsub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void smessage(byte[] channel, byte[] message) {
        for (ClusterLink link : listeners(channel)) {
          link.onMessage(message);
        }
      }

      @Override
      public void ssubscribed(byte[] channel, long count) {
        for (ClusterLink link : listeners(channel)) {
          link.onSubscribed();
        }
      }
    });
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> handler, SocketAddress address) {
        // Messages published while a connection was down are lost; the rooms re-read what they missed. The
        // subscription connection is left out: Redis confirms each of its channels again once it has re-subscribed
        // them, and that confirmation makes the channel's rooms re-read (ClusterLink.onSubscribed), later and so
        // safely; a re-read here too would run every room's scripts twice. A Redis Cluster's node connections are
        // other handlers, and still re-read here.
        if (!closed && handler != pubsub) {
          scheduler.execute(() -> resyncAll(false));
        }
      }
    });
  }

  /**
   * Connects to Redis and starts the node's liveness key.
   *
   * @param addresses one {@code redis://} or {@code rediss://} address, or the seeds of a Redis Cluster
   * @param config the server's settings; leave detection sets the liveness timing
   * @return the running node
   * @throws ConfigException when Redis cannot be reached
   */
  public static RedisCluster connect(List<String> addresses, ServerConfig config) {
    List<RedisURI> uris = new ArrayList<>();
    for (String address : addresses) {
      uris.add(RedisURI.create(address));
    }
    RedisCluster node;
    try {
      node = new RedisCluster(uris, config);
      node.redis.set(node.nodeKey, Netstrings.bytes(node.id), SetArgs.Builder.px(node.keyLifetimeMillis))
          .get(10, TimeUnit.SECONDS);
    } catch (RedisException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new ConfigException("cannot reach Redis at " + uris + ": " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while connecting to Redis at " + uris);
    }
    node.scheduler.scheduleWithFixedDelay(node::beat, node.beatMillis(), node.beatMillis(), TimeUnit.MILLISECONDS);
    log.info("event=cluster_joined node={} redis={} key_lifetime_millis={}", node.id, uris, node.keyLifetimeMillis);
    return node;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private static String newId() {
    byte[] random = new byte[9];
    new SecureRandom().nextBytes(random);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static byte[] nodeKey(String nodeId) {
    byte[] id = Netstrings.bytes(nodeId);
    byte[] key = new byte[NODE_KEY_PREFIX.length + id.length];
    System.arraycopy(NODE_KEY_PREFIX, 0, key, 0, NODE_KEY_PREFIX.length);
    System.arraycopy(id, 0, key, NODE_KEY_PREFIX.length, id.length);
    return key;
  }

  /** @return this node's id, unique per process */
  public String id() {
    return id;
  }

  @Override
  public RoomLink link(Room room) {
    ClusterLink link = new ClusterLink(room, this);
    links.add(link);
    link.start();
    return link;
  }

  boolean healthy() {
    return healthy;
  }

  /** How often the liveness key is refreshed, and a failed subscription tried again. */
  private long beatMillis() {
    return Math.max(10, config.leaveDetectionMillis() / 10);
  }

  long restoreGraceNanos() {
    return TimeUnit.MILLISECONDS.toNanos(keyLifetimeMillis + config.leaveDetectionMillis() / 10);
  }

  /** How long a node waits for a change Redis has numbered before it re-reads the room instead. */
  long barrierPatienceNanos() {
    return TimeUnit.MILLISECONDS.toNanos(Math.max(200, config.throttleWindowMillis() * 4L));
  }

  void schedule(Runnable task, long delayNanos) {
    scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** A command failed: until a liveness refresh succeeds, rooms serve their local sessions on their own. */
  void failed(Throwable error) {
    if (healthy && !closed) {
      healthy = false;
      log.warn("event=cluster_redis_unreachable redis={} error=\"{}\"", addresses, rootMessage(error));
    }
  }

  /**
   * Subscribes a room's link to its channel. Redis confirms the subscription again each time the connection
   * re-subscribes after a reconnect; the link re-reads its room on each of those confirmations.
   */
  CompletionStage<Void> subscribe(byte[] channel, ClusterLink link) {
    synchronized (channels) {
      Set<ClusterLink> listeners = channels.computeIfAbsent(ByteBuffer.wrap(channel), c -> new HashSet<>());
      listeners.add(link);
      if (listeners.size() > 1) {
        return CompletableFuture.completedFuture(null);
      }
      // Under the lock, so that the confirmation this request causes cannot be dispatched before.
      link.expectOwnConfirmation(true);
      return sendSubscription(channel);
    }
  }

  /**
   * Subscribes to a channel until Redis confirms it. A subscription that failed (the subscription connection was
   * down) is not one Lettuce re-subscribes after reconnecting, so without a retry the node would never hear the
   * room; the retry's confirmation makes every link of the channel re-read its room.
   */
  private CompletionStage<Void> sendSubscription(byte[] channel) {
    CompletionStage<Void> sent = pubsub.async().ssubscribe(channel);
    sent.whenComplete((ok, error) -> {
      if (error == null || closed) {
        return;
      }
      for (ClusterLink link : listeners(channel)) {
        link.expectOwnConfirmation(false);
      }
      scheduler.schedule(() -> {
        synchronized (channels) {
          if (!closed && channels.containsKey(ByteBuffer.wrap(channel))) {
            sendSubscription(channel);
          }
        }
      }, beatMillis(), TimeUnit.MILLISECONDS);
    });
    return sent;
  }

  void unsubscribe(byte[] channel, ClusterLink link) {
    links.remove(link);
    synchronized (channels) {
      Set<ClusterLink> listeners = channels.get(ByteBuffer.wrap(channel));
      if (listeners == null || !listeners.remove(link) || !listeners.isEmpty()) {
        return;
      }
      channels.remove(ByteBuffer.wrap(channel));
      pubsub.async().sunsubscribe(channel);
    }
  }

  private List<ClusterLink> listeners(byte[] channel) {
    synchronized (channels) {
      Set<ClusterLink> listeners = channels.get(ByteBuffer.wrap(channel));
      return listeners == null ? List.of() : new ArrayList<>(listeners);
    }
  }

  CompletionStage<Admission> open(RoomKeys keys, String seat, User user, boolean restore, EncodedState state) {
    return RoomScripts.OPEN.<List<Object>>run(redis, ScriptOutputType.MULTI, keys.all(),
        Netstrings.bytes(seat), Netstrings.bytes(id), Netstrings.bytes(user.getUserId()), user.toByteArray(),
        Netstrings.bytes(Integer.toString(config.maxSessionsPerRoom())),
        Netstrings.bytes(Integer.toString(config.maxSessionsPerUser())), Netstrings.bytes(newId()),
        Netstrings.bytes(restore ? "1" : "0"), SeatRecord.encodeState(state))
        .thenApply(Admission::of);
  }

  CompletionStage<Long> state(RoomKeys keys, String seat, EncodedState state) {
    return RoomScripts.STATE.run(redis, ScriptOutputType.INTEGER, keys.all(), Netstrings.bytes(seat),
        Netstrings.bytes(id), SeatRecord.encodeState(state));
  }

  /**
   * Ends one of this node's seats; a seat Redis no longer holds is still announced while the room exists. The room
   * remembers the end for the leave detection time: a later restore of the seat is refused, and snapshots list it.
   *
   * @return the end's number, or 0 when Redis holds no such room
   */
  CompletionStage<Long> end(RoomKeys keys, String seat, NullReason reason) {
    return RoomScripts.END.run(redis, ScriptOutputType.INTEGER, keys.all(), Netstrings.bytes(seat),
        Netstrings.bytes(Integer.toString(reason.getNumber())), Netstrings.bytes(id),
        Netstrings.bytes(Integer.toString(config.leaveDetectionMillis())));
  }

  CompletionStage<Long> reap(RoomKeys keys, String lostNode) {
    return RoomScripts.REAP.run(redis, ScriptOutputType.INTEGER, keys.all(), Netstrings.bytes(lostNode),
        Netstrings.bytes(Integer.toString(NullReason.NULL_REASON_TIMED_OUT_VALUE)),
        Netstrings.bytes(Long.toString(keyLifetimeMillis)));
  }

  /** @return the number of the room's last change, 0 when Redis holds no room */
  CompletionStage<Long> lastSeq(RoomKeys keys) {
    return redis.get(keys.all()[0]).thenApply(v -> v == null ? 0L : Long.parseLong(Netstrings.text(v)));
  }

  CompletionStage<Snapshot> snapshot(RoomKeys keys) {
    return RoomScripts.SNAPSHOT.<List<Object>>run(redis, ScriptOutputType.MULTI, keys.all(), Netstrings.bytes(newId()))
        .thenApply(reply -> {
          try {
            return Snapshot.of(reply);
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable room snapshot: " + e.getMessage(), e);
          }
        });
  }

  private void beat() {
    if (closed) {
      return;
    }
    redis.setGet(nodeKey, Netstrings.bytes(id), SetArgs.Builder.px(keyLifetimeMillis))
        .whenComplete((previous, error) -> {
          if (error != null) {
            failed(error);
            return;
          }
          boolean returning = !healthy;
          if (returning || previous == null) {
            // Back after an outage, or Redis lost this node's key (it restarted, or this node was cut off for
            // longer than the key lives and the others ended its seats): every room is re-read, and no node is
            // judged lost until every node had a key lifetime to refresh its own key.
            healthySinceNanos = System.nanoTime();
            healthy = true;
            log.info("event=cluster_redis_reachable redis={} key_lost={}", addresses, previous == null);
            scheduler.execute(() -> resyncAll(true));
          } else if (System.nanoTime() - healthySinceNanos >= TimeUnit.MILLISECONDS.toNanos(keyLifetimeMillis)) {
            reapLostNodes();
          }
        });
  }

  private void resyncAll(boolean stateLost) {
    for (ClusterLink link : links) {
      link.resyncFromAnyThread(stateLost);
    }
  }

  private void reapLostNodes() {
    Set<String> nodes = new HashSet<>();
    for (ClusterLink link : links) {
      nodes.addAll(link.remoteNodes());
    }
    nodes.remove(id);
    for (String node : nodes) {
      redis.exists(nodeKey(node)).whenComplete((count, error) -> {
        if (error != null) {
          failed(error);
        } else if (count == 0) {
          for (ClusterLink link : links) {
            if (link.remoteNodes().contains(node)) {
              link.reap(node);
            }
          }
        }
      });
    }
  }

  /**
   * Leaves the cluster: the liveness key goes at once, so nobody waits for it to expire. Rooms must have
   * ended their sessions before, so that their departures were published.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdownNow();
    try {
      redis.del(nodeKey).get(1, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.info("event=cluster_key_not_removed error=\"{}\"", rootMessage(e));
    }
    pubsub.close();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    log.info("event=cluster_left node={}", id);
  }
}
