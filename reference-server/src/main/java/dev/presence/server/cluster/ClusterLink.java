package dev.presence.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.room.RemoteSeat;
import dev.presence.server.room.Room;
import dev.presence.server.room.RoomLink;
import dev.presence.server.session.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's tie to one room of the cluster. It applies the room's published changes in the order of their
 * numbers; a gap, a new epoch or a lost connection makes it re-read the room from Redis (a snapshot) and apply
 * the difference. All of it runs on the room's executor.
 */
final class ClusterLink implements RoomLink {
  private static final Logger log = LoggerFactory.getLogger(ClusterLink.class);

  private final Room room;
  private final RedisCluster node;
  private final RoomKeys keys;
  private final Executor executor;
  /** Local sessions registered with Redis, or registering, or admitted while Redis was away: seat ids. */
  private final Map<Session, String> local = new IdentityHashMap<>();
  private final Map<String, RemoteSeat> remote = new HashMap<>();
  /** Local sessions that ended while Redis was away, by seat id: the null their departure owes the others. */
  private final Map<String, NullReason> endedWhileAway = new HashMap<>();
  /** Local sessions whose end Redis has not answered yet, by seat id: a snapshot may still list them. */
  private final Map<String, NullReason> ending = new HashMap<>();
  /**
   * The last state each local session set while changes did not go through Redis (a resync was under way, or Redis
   * was away): the next snapshot's application sends it, since the resync re-registered the session before it.
   */
  private final Map<Session, EncodedState> setWhileNotLive = new IdentityHashMap<>();
  /** Remote seats a restarted Redis lost, waiting for their nodes to restore them: seat id to deadline. */
  private final Map<String, Long> unconfirmed = new HashMap<>();
  private final TreeMap<Long, RoomEvent> held = new TreeMap<>();
  private final List<Runnable> waitingForSync = new ArrayList<>();
  private final InOrder changes = new InOrder();
  /** Tasks waiting until this node has applied the change with the key's number. */
  private final TreeMap<Long, List<Runnable>> awaitingSeq = new TreeMap<>();
  private volatile Set<String> remoteNodes = Set.of();
  /** Whether the channel's next confirmation answers the request start() made, after which it read the room. */
  private final AtomicBoolean ownConfirmationPending = new AtomicBoolean();

  private String epoch;
  private long lastSeq;
  private boolean synced;
  private boolean resyncing;
  private boolean resyncAgain;
  private boolean againStateLost;
  private boolean closed;

  ClusterLink(Room room, RedisCluster node) {
    this.room = room;
    this.node = node;
    this.keys = new RoomKeys(room.id());
    this.executor = room.executor();
  }

  RoomKeys keys() {
    return keys;
  }

  /** @return the other nodes holding seats of this room; readable from any thread */
  Set<String> remoteNodes() {
    return remoteNodes;
  }

  void resyncFromAnyThread(boolean stateLost) {
    executor.execute(() -> resync(stateLost));
  }

  /** Whether changes go through Redis now; otherwise the room orders them itself until the next resync. */
  private boolean live() {
    return synced && node.healthy();
  }

  void start() {
    node.subscribe(keys.channel(), this).whenComplete((ok, error) -> executor.execute(() -> resync(false)));
  }

  /** @param expected whether the channel's next confirmation answers this link's first read, made in start() */
  void expectOwnConfirmation(boolean expected) {
    ownConfirmationPending.set(expected);
  }

  /**
   * Redis confirmed the room's subscription; any thread. Past the first confirmation it is a re-subscription
   * after a reconnect, and what was published while the channel was not subscribed was missed: the room is
   * re-read. Re-reading when the connection comes back is not enough, since Redis may run that read before the
   * re-subscription, and a change published between the two would reach this node neither way.
   */
  void onSubscribed() {
    if (!ownConfirmationPending.compareAndSet(true, false)) {
      resyncFromAnyThread(false);
    }
  }

  /** A message on the room's channel; any thread. */
  void onMessage(byte[] message) {
    RoomEvent event;
    try {
      event = RoomEvent.decode(message);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      log.warn("event=cluster_message_dropped room={} error=\"{}\"", room.id(), e.getMessage());
      executor.execute(() -> resync(false));
      return;
    }
    executor.execute(() -> onEvent(event));
  }

  @Override
  public void open(Session session, Runnable admitted, Runnable refused) {
    String seat = node.id() + "/" + session.id();
    local.put(session, seat);
    whenSynced(() -> {
      if (!live()) {
        admitted.run();
        return;
      }
      node.open(keys, seat, session.user(), false, null).whenComplete((answer, error) -> executor.execute(() -> {
        if (error != null) {
          node.failed(error);
          admitted.run();
        } else if (answer.refused()) {
          local.remove(session);
          refused.run();
        } else {
          admitted.run();
        }
      }));
    });
  }

  @Override
  public void stateChanged(Session session, EncodedState state, LongConsumer apply) {
    InOrder.Pending pending = changes.add(apply);
    String seat = local.get(session);
    if (!live() || seat == null) {
      if (seat != null) {
        setWhileNotLive.put(session, state);
      }
      changes.complete(pending, UNORDERED);
      return;
    }
    node.state(keys, seat, state).whenComplete((seq, error) -> executor.execute(() -> {
      if (error != null) {
        node.failed(error);
        changes.complete(pending, UNORDERED);
      } else if (seq == 0) {
        // Redis no longer holds the seat: it restarted empty, or reaped this node while cut off from it.
        changes.complete(pending, UNORDERED);
        resync(true);
      } else {
        changes.complete(pending, seq);
      }
    }));
  }

  @Override
  public void afterOwnChanges(Runnable task) {
    changes.complete(changes.add(ignored -> task.run()), UNORDERED);
  }

  @Override
  public void afterAllChanges(Runnable task) {
    if (!live()) {
      afterOwnChanges(task);
      return;
    }
    InOrder.Pending pending = changes.add(ignored -> task.run());
    node.lastSeq(keys).whenComplete((seq, error) -> executor.execute(() -> {
      if (error != null) {
        node.failed(error);
        changes.complete(pending, UNORDERED);
      } else {
        whenApplied(seq, () -> changes.complete(pending, UNORDERED));
      }
    }));
  }

  private void whenApplied(long seq, Runnable task) {
    if (seq <= lastSeq || !live()) {
      task.run();
      return;
    }
    awaitingSeq.computeIfAbsent(seq, s -> new ArrayList<>()).add(task);
    // A message lost with no later one to reveal the gap would hold the task forever: re-read the room instead.
    node.schedule(() -> executor.execute(() -> {
      if (awaitingSeq.containsKey(seq)) {
        resync(false);
      }
    }), node.barrierPatienceNanos());
  }

  /** Runs the tasks waiting for changes up to the last applied one; with {@code all}, every waiting task. */
  private void releaseAwaiting(boolean all) {
    while (!awaitingSeq.isEmpty() && (all || awaitingSeq.firstKey() <= lastSeq)) {
      awaitingSeq.pollFirstEntry().getValue().forEach(Runnable::run);
    }
  }

  @Override
  public void ended(Session session, NullReason reason) {
    String seat = local.remove(session);
    if (seat == null) {
      return;
    }
    if (!live()) {
      // The next snapshot still lists the seat, and the resync ends it.
      endedWhileAway.put(seat, reason);
      return;
    }
    ending.put(seat, reason);
    node.end(keys, seat, reason).whenComplete((seq, error) -> executor.execute(() -> {
      ending.remove(seat);
      if (error != null) {
        node.failed(error);
      }
      if (error != null || seq == 0) {
        // Not announced (Redis away, or restarted empty and no room yet): the next resync announces it.
        endedWhileAway.put(seat, reason);
      }
    }));
  }

  @Override
  public void close() {
    closed = true;
    node.unsubscribe(keys.channel(), this);
  }

  /** Ends the seats of a node that is gone; any thread. */
  void reap(String lostNode) {
    node.reap(keys, lostNode).whenComplete((count, error) -> {
      if (error != null) {
        node.failed(error);
      } else if (count > 0) {
        log.info("event=cluster_node_reaped room={} node={} seats={}", room.id(), lostNode, count);
      }
    });
  }

  /**
   * Re-reads the room: first this node's own sessions go back into Redis as they are now (after an outage
   * Redis may have lost them or may hold a stale state), then the snapshot replaces what this node believes of
   * the others.
   *
   * @param stateLost whether Redis may have lost other nodes' seats (a restart), so that a missing seat is not
   *     yet a departure
   */
  void resync(boolean stateLost) {
    if (closed) {
      return;
    }
    if (resyncing) {
      resyncAgain = true;
      againStateLost |= stateLost;
      return;
    }
    resyncing = true;
    synced = false;
    for (Map.Entry<Session, String> e : local.entrySet()) {
      Session session = e.getKey();
      if (!session.isOpen() || session.isEnded()) {
        continue;
      }
      node.open(keys, e.getValue(), session.user(), true, session.slot()).whenComplete((answer, error) -> {
        if (error == null && !answer.refused() && answer.sequence() != session.slotSequence()) {
          executor.execute(() -> {
            if (!session.isEnded() && local.containsKey(session)) {
              room.reordered(session, answer.sequence());
            }
          });
        }
      });
    }
    node.snapshot(keys).whenComplete((snapshot, error) -> executor.execute(() -> {
      resyncing = false;
      if (error != null) {
        node.failed(error);
        held.clear();
        releaseWaiting();
        releaseAwaiting(true);
      } else {
        apply(snapshot, stateLost);
      }
      if (resyncAgain && node.healthy()) {
        boolean lost = againStateLost;
        resyncAgain = false;
        againStateLost = false;
        resync(lost);
      }
    }));
  }

  private void apply(Snapshot snapshot, boolean stateLost) {
    boolean lost = stateLost || (epoch != null && !epoch.isEmpty() && !epoch.equals(snapshot.epoch()));
    Set<String> present = new HashSet<>();
    Set<String> mine = new HashSet<>(local.values());
    Set<String> mineInRedis = new HashSet<>();
    for (SeatRecord r : snapshot.seats()) {
      if (r.node().equals(node.id())) {
        mineInRedis.add(r.seat());
        // A seat whose end is on its way is left to that end: Redis may run it after this snapshot.
        if (!mine.contains(r.seat()) && !ending.containsKey(r.seat())) {
          node.end(keys, r.seat(), endedWhileAway.getOrDefault(r.seat(), NullReason.NULL_REASON_TIMED_OUT));
        }
        continue;
      }
      present.add(r.seat());
      unconfirmed.remove(r.seat());
      RemoteSeat seat = remote.get(r.seat());
      if (seat == null) {
        seat = new RemoteSeat(r.seat(), r.node(), r.user(), r.state(), r.stateSequence());
        remote.put(r.seat(), seat);
        room.remoteOpened(seat);
      } else if (!Objects.equals(EncodedState.structOf(seat.slot()), r.state())
          || seat.slotSequence() != r.stateSequence()) {
        room.remoteStateChanged(seat, r.state(), r.stateSequence());
      }
    }
    for (RemoteSeat seat : new ArrayList<>(remote.values())) {
      NullReason ended = snapshot.ended().get(seat.id());
      if (ended != null && !present.contains(seat.id())) {
        // Its end is older than the snapshot, so its message is skipped: the room remembers how it ended.
        drop(seat.id(), ended);
        continue;
      }
      if (present.contains(seat.id()) || unconfirmed.containsKey(seat.id())) {
        continue;
      }
      if (lost) {
        unconfirmed.put(seat.id(), System.nanoTime() + node.restoreGraceNanos());
        node.schedule(() -> executor.execute(this::expireUnconfirmed), node.restoreGraceNanos());
      } else {
        drop(seat.id(), NullReason.NULL_REASON_TIMED_OUT);
      }
    }
    // A seat that ended while Redis was away and that Redis no longer holds (it restarted empty) is announced
    // anyway: other nodes may still hold it and must learn how it ended rather than time it out.
    endedWhileAway.forEach((seat, reason) -> {
      if (!mineInRedis.contains(seat)) {
        node.end(keys, seat, reason);
      }
    });
    endedWhileAway.clear();
    epoch = snapshot.epoch();
    lastSeq = snapshot.seq();
    synced = true;
    publishStatesSetWhileNotLive();
    noteRemoteNodes();
    drainHeld();
    releaseWaiting();
    // A new epoch numbers afresh: what was awaited under the old one is in the snapshot.
    releaseAwaiting(lost);
  }

  private void publishStatesSetWhileNotLive() {
    for (Map.Entry<Session, EncodedState> e : setWhileNotLive.entrySet()) {
      Session session = e.getKey();
      EncodedState state = e.getValue();
      String seat = local.get(session);
      if (seat == null || !session.isOpen() || session.isEnded()) {
        continue;
      }
      node.state(keys, seat, state).whenComplete((seq, error) -> executor.execute(() -> {
        if (error != null) {
          node.failed(error);
        } else if (seq == 0) {
          resync(true);
        } else if (!session.isEnded() && local.containsKey(session) && session.slot() == state) {
          // The session set nothing since: its state now bears the room's number.
          room.reordered(session, seq);
        }
      }));
    }
    setWhileNotLive.clear();
  }

  private void expireUnconfirmed() {
    long now = System.nanoTime();
    for (Map.Entry<String, Long> e : new ArrayList<>(unconfirmed.entrySet())) {
      if (now - e.getValue() >= 0) {
        unconfirmed.remove(e.getKey());
        drop(e.getKey(), NullReason.NULL_REASON_TIMED_OUT);
      }
    }
  }

  private void drop(String seatId, NullReason reason) {
    RemoteSeat seat = remote.remove(seatId);
    unconfirmed.remove(seatId);
    if (seat != null) {
      room.remoteEnded(seat, reason);
      noteRemoteNodes();
    }
  }

  private void onEvent(RoomEvent event) {
    if (closed) {
      return;
    }
    if (resyncing) {
      held.put(event.seq(), event);
      return;
    }
    if (!synced) {
      // Redis is away or was never read: the resync that follows its return covers this change.
      return;
    }
    if (!event.epoch().equals(epoch)) {
      held.put(event.seq(), event);
      resync(true);
      return;
    }
    if (event.seq() <= lastSeq) {
      return;
    }
    if (event.seq() > lastSeq + 1) {
      held.put(event.seq(), event);
      resync(false);
      return;
    }
    applyEvent(event);
    drainHeld();
  }

  private void drainHeld() {
    while (!held.isEmpty()) {
      Map.Entry<Long, RoomEvent> first = held.firstEntry();
      RoomEvent event = first.getValue();
      if (first.getKey() <= lastSeq || !event.epoch().equals(epoch)) {
        held.pollFirstEntry();
      } else if (first.getKey() == lastSeq + 1) {
        held.pollFirstEntry();
        applyEvent(event);
      } else {
        resync(false);
        return;
      }
    }
  }

  private void applyEvent(RoomEvent event) {
    lastSeq = event.seq();
    try {
      applyChange(event);
    } finally {
      releaseAwaiting(false);
    }
  }

  private void applyChange(RoomEvent event) {
    if (event.node().equals(node.id())) {
      // This node applied its own change when Redis answered.
      return;
    }
    switch (event.kind()) {
      case RoomEvent.OPENED: {
        unconfirmed.remove(event.seat());
        RemoteSeat seat = remote.get(event.seat());
        if (seat == null) {
          seat = new RemoteSeat(event.seat(), event.node(), event.user(), event.state(), event.seq());
          remote.put(event.seat(), seat);
          room.remoteOpened(seat);
          noteRemoteNodes();
        } else {
          room.remoteStateChanged(seat, event.state(), event.seq());
        }
        break;
      }
      case RoomEvent.STATE: {
        RemoteSeat seat = remote.get(event.seat());
        if (seat != null) {
          room.remoteStateChanged(seat, event.state(), event.seq());
        }
        break;
      }
      default:
        drop(event.seat(), event.reason());
    }
  }

  private void whenSynced(Runnable task) {
    if (synced || !node.healthy()) {
      task.run();
    } else {
      waitingForSync.add(task);
    }
  }

  private void releaseWaiting() {
    List<Runnable> tasks = new ArrayList<>(waitingForSync);
    waitingForSync.clear();
    tasks.forEach(Runnable::run);
  }

  private void noteRemoteNodes() {
    Set<String> nodes = new HashSet<>();
    for (RemoteSeat seat : remote.values()) {
      nodes.add(seat.nodeId());
    }
    remoteNodes = Set.copyOf(nodes);
  }
}
