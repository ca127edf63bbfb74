package dev.presence.server.room;

import com.google.protobuf.Struct;
import com.google.rpc.Code;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Draining;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Opened;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.fanout.LiveEvent;
import dev.presence.server.fanout.MembershipChange;
import dev.presence.server.fanout.OutboxCohort;
import dev.presence.server.fanout.SharedFrames;
import dev.presence.server.internal.Fatal;
import dev.presence.server.internal.Metrics;
import dev.presence.server.internal.SerialExecutor;
import dev.presence.server.internal.Timer;
import dev.presence.server.session.CallStatus;
import dev.presence.server.session.Seat;
import dev.presence.server.session.Session;
import dev.presence.server.session.SessionEnd;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room: its members, their presence, and the tick that moves presence changes to subscribers.
 *
 * <p>Every method except {@link #executor()} and {@link #id()} must run on the room's serial executor;
 * the room therefore needs no locks, and no handler ever blocks.
 *
 * <p>In a cluster the room is this node's copy of a room whose sessions may sit on any node: its
 * {@link RoomLink} publishes what local sessions do and feeds in what remote ones do, as {@link RemoteSeat}s,
 * and every state carries its place in one room-wide order.
 */
public final class Room {
  private static final Logger log = LoggerFactory.getLogger(Room.class);
  private static final long NO_TICK = Long.MAX_VALUE;
  /** Small against PRS-THR-3's 25 ms beyond W: the grid delays a tick by at most this less one. */
  private static final long TICK_GRID_MILLIS = 5;

  private final String id;
  private final RoomContext context;
  private final RoomRegistry registry;
  private final ServerConfig config;
  private final SerialExecutor executor;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final Set<Session> sessions = new LinkedHashSet<>();
  private final LinkedHashMap<String, LiveEvent> changed = new LinkedHashMap<>();
  private final FrameHandler frames;
  private final Liveness liveness;
  private final RoomLink link;
  private int remoteSeats;

  /** Guarded by the registry's compute lock, not by the executor. */
  int references;

  private long updateSequence;
  private long lastTickAt = Long.MIN_VALUE / 4;
  private long tickAt = NO_TICK;
  private long tickGeneration;
  private Timer.Cancellable tickTimer;
  private boolean discarded;
  /** Null when the context turns sharing off. */
  private final OutboxCohort cohort;

  Room(String id, RoomContext context, RoomRegistry registry) {
    this.id = id;
    this.context = context;
    this.registry = registry;
    this.config = context.config();
    this.executor = new SerialExecutor(context.roomThreads().get());
    this.frames = new FrameHandler(this, config);
    this.liveness = new Liveness(this, context);
    this.link = context.replication() == null ? null : context.replication().link(this);
    this.cohort = context.sharesOutboxes() ? new OutboxCohort(context.metrics()) : null;
  }

  /** @return the room id */
  public String id() {
    return id;
  }

  /** @return the executor every operation on this room must run on */
  public SerialExecutor executor() {
    return executor;
  }

  long now() {
    return context.clock().nowMillis();
  }

  Metrics metrics() {
    return context.metrics();
  }

  /** @param session a session @return a batcher writing its tagged events within the frame bound */
  TaggedBatcher taggedBatcher(Session session) {
    return new TaggedBatcher(session, metrics(), config.maxOutboundFrameBytes());
  }


  /**
   * Admits a session, or ends it with TOO_MANY_SESSIONS (PRS-LIM-3) without touching anyone else.
   *
   * @param session a session whose room reference was acquired from the registry
   */
  public void open(Session session) {
    if (session.isEnded()) {
      registry.release(this);
      return;
    }
    if (registry.shuttingDown()) {
      refuse(session, Fatal.of(ErrorReason.ERROR_REASON_SHUTTING_DOWN, "server is shutting down"));
      return;
    }
    Member member = members.get(session.userId());
    if (sessions.size() + remoteSeats >= config.maxSessionsPerRoom()
        || (member != null && member.seats.size() >= config.maxSessionsPerUser())) {
      refuse(session, tooManySessions());
      return;
    }
    if (link != null) {
      link.open(session, () -> admit(session), () -> {
        if (!session.isEnded()) {
          refuse(session, tooManySessions());
        }
      });
      return;
    }
    admit(session);
  }

  private static Fatal tooManySessions() {
    return Fatal.of(ErrorReason.ERROR_REASON_TOO_MANY_SESSIONS, "session limit reached for this room or user");
  }

  private void admit(Session session) {
    if (session.isEnded()) {
      // Cancelled while the cluster admitted it; end() released the room already.
      link.ended(session, SessionEnd.CANCEL.nullReason());
      return;
    }
    Member member = seat(session);
    sessions.add(session);
    session.markOpen();
    Opened.Builder opened = Opened.newBuilder()
        .setSessionId(session.id())
        .setSelf(session.user())
        .setProtocolVersion(1)
        .setLimits(limits());
    for (Member m : members.values()) {
      opened.addMembers(m.user);
    }
    if (session.pingCapable()) {
      opened.addCapabilities(Capability.CAPABILITY_PING);
    }
    if (session.drainCapable()) {
      opened.addCapabilities(Capability.CAPABILITY_DRAIN);
    }
    session.send(ConnectResponse.newBuilder().setOpened(opened).build());
    if (registry.draining()) {
      announceDrain(session);
    }
    session.touch(now());
    liveness.start(session);
    requestNextInbound(session);
    if (context.logsSessions()) {
      log.info("event=session_opened room={} session={} sessions_in_room={}", id, session.id(), sessions.size());
    }
  }

  /**
   * Seats a session of this node or another in the room; the room's other local sessions learn of a user
   * who was not in it (PRS-MEM-2).
   */
  private Member seat(Seat seat) {
    Member member = members.get(seat.userId());
    if (member == null) {
      if (changed.containsKey(seat.userId())) {
        // The null that ended the user's previous stay goes to the outboxes before anything the user
        // does now can coalesce it away (PRS-MEM-5).
        absorbChanges();
      }
      member = new Member(seat.user());
      members.put(seat.userId(), member);
      MembershipChange joined = MembershipChange.joined(seat.user());
      for (Session other : sessions) {
        if (!other.outbox().isParked()) {
          other.outbox().membershipChanged(joined);
        }
      }
      if (cohort != null) {
        cohort.membershipChanged(joined);
      }
      requestTick(cadence());
    }
    member.seats.add(seat);
    return member;
  }

  /** Ends a session before {@code opened}: nobody else ever learns of it (PRS-LIM-3). */
  private void refuse(Session session, Fatal fatal) {
    session.markEnded();
    metrics().fatalError(fatal.reason());
    session.call().close(fatal.status());
    registry.release(this);
    log.info("event=open_rejected room={} reason={}", id, fatal.reason().name().substring("ERROR_REASON_".length()));
  }

  private Limits limits() {
    return Limits.newBuilder()
        .setThrottleWindowMillis(config.throttleWindowMillis())
        .setMaxStateBytes(config.maxStateBytes())
        .setMaxSubscriptions(config.maxSubscriptions())
        .setMaxFollows(config.maxFollows())
        .setLeaveDetectionMillis(config.leaveDetectionMillis())
        .setMaxInboundFrameBytes(config.maxInboundFrameBytes())
        .setMaxStateDepth(config.maxStateDepth())
        .setMaxOutboundFrameBytes(config.maxOutboundFrameBytes())
        .setMaxSessionsPerUser(config.maxSessionsPerUser())
        .setMaxSessionsPerRoom(config.maxSessionsPerRoom())
        .setIdleTimeoutMillis(config.idleTimeoutMillis())
        .setPingIntervalMillis(config.pingIntervalMillis())
        .build();
  }

  /**
   * Processes one inbound frame of an open session, in arrival order (PRS-TRN-2).
   *
   * @param session the session
   * @param frame the frame
   */
  public void onFrame(Session session, ConnectRequest frame, long arrivedAtMillis) {
    session.arrived(arrivedAtMillis);
    onFrame(session, frame);
  }

  /**
   * Processes one inbound frame whose arrival time is not known separately (a postponed frame keeps the
   * arrival time recorded last).
   *
   * @param session the session
   * @param frame the frame
   */
  public void onFrame(Session session, ConnectRequest frame) {
    if (session.isEnded()) {
      return;
    }
    session.touch(now());
    if (frames.mustWaitForMembership(session, frame)) {
      session.outbox().leaveCohort();
      session.postpone(frame);
      requestTick(Math.max(now(), session.outbox().dueAt(config.throttleWindowMillis())));
      return;
    }
    if (link != null && mustWaitForCluster(session, frame)) {
      return;
    }
    frames.handle(session, frame);
    if (!session.isEnded()) {
      requestNextInbound(session);
    }
  }

  /**
   * In a cluster, a pong must not overtake the session's state on its way to the room's order, and a snapshot or a
   * follow's state must include what other nodes had done before it: such frames wait, and the session's later
   * frames are not read meanwhile.
   */
  private boolean mustWaitForCluster(Session session, ConnectRequest frame) {
    ConnectRequest.FrameCase kind = frame.getFrameCase();
    Runnable handle = () -> {
      if (session.isEnded()) {
        return;
      }
      if (frames.mustWaitForMembership(session, frame)) {
        // Changes applied while waiting queued membership frames that must go out first (PRS-MEM-6).
        session.postpone(frame);
        requestTick(Math.max(now(), session.outbox().dueAt(config.throttleWindowMillis())));
        return;
      }
      frames.handle(session, frame);
      if (!session.isEnded()) {
        requestNextInbound(session);
      }
    };
    if (kind == ConnectRequest.FrameCase.PING) {
      link.afterOwnChanges(handle);
      return true;
    }
    if (kind == ConnectRequest.FrameCase.SUBSCRIBE || kind == ConnectRequest.FrameCase.FOLLOW) {
      link.afterAllChanges(handle);
      return true;
    }
    return false;
  }

  /** Inbound frames are taken only while the call is writable, so a client that does not read cannot
   * make the server buffer responses without bound. */
  private void requestNextInbound(Session session) {
    if (session.call().isReady()) {
      session.setInboundPaused(false);
      session.call().requestNext();
    } else {
      session.setInboundPaused(true);
    }
  }

  /**
   * The session's call became writable.
   *
   * @param session the session
   */
  public void onReady(Session session) {
    if (session.isEnded() || !session.isOpen()) {
      return;
    }
    if (session.outbox().hasPending()) {
      requestTick(Math.max(now(), session.outbox().dueAt(config.throttleWindowMillis())));
    }
    if (session.inboundPaused() && session.postponed() == null) {
      requestNextInbound(session);
    }
  }

  /**
   * Ends a session (PRS-END-*): recomputes its user's presence, announces a departure if it was the
   * user's last session, and closes the call as {@code how} requires. Idempotent.
   *
   * @param session the session
   * @param how why it ends
   * @param fatal the status to close with, or null to use the default for {@code how}
   */
  public void end(Session session, SessionEnd how, Fatal fatal) {
    if (!session.markEnded()) {
      return;
    }
    session.cancelTimers();
    if (session.isOpen()) {
      sessions.remove(session);
      session.outbox().abandonCohort();
      unseat(session, how.nullReason());
      if (link != null) {
        link.ended(session, how.nullReason());
      }
      metrics().sessionEnded(how);
      metrics().subscriptionsChanged(-session.subscriptions().size());
    }
    closeCall(session, how, fatal);
    registry.release(this);
    if (context.logsSessions()) {
      log.info("event=session_ended room={} session={} how={} null_reason={}", id, session.id(),
          how.name().toLowerCase(), how.nullReason().name().substring("NULL_REASON_".length()));
    }
  }

  private void unseat(Seat seat, NullReason reason) {
    String userId = seat.userId();
    Member member = members.get(userId);
    member.seats.remove(seat);
    if (!member.seats.isEmpty()) {
      presenceMayHaveChanged(member, NullReason.NULL_REASON_CLEARED, now());
      return;
    }
    members.remove(userId);
    if (member.presence != null) {
      member.presence = null;
      announce(LiveEvent.nullOf(userId, reason, now()));
    }
    MembershipChange left = MembershipChange.left(userId, reason);
    for (Session other : sessions) {
      if (!other.outbox().isParked()) {
        other.outbox().membershipChanged(left);
      }
    }
    if (cohort != null) {
      cohort.membershipChanged(left);
    }
    requestTick(cadence());
  }

  private void closeCall(Session session, SessionEnd how, Fatal fatal) {
    switch (how) {
      case CANCEL:
      case TRANSPORT_LOSS:
        return;
      case HALF_CLOSE:
      case LEAVE:
        session.call().close(CallStatus.OK);
        return;
      default:
        if (fatal != null) {
          metrics().fatalError(fatal.reason());
          session.call().close(fatal.status());
        } else {
          session.call().close(CallStatus.withoutReason(Code.INTERNAL, "session ended"));
        }
    }
  }

  /**
   * Ends every session for a server shutdown (PRS-END-5): one at a time, each after receiving what the
   * departures before it caused, so the sessions still open learn of every departure.
   */
  public void shutdown() {
    Fatal fatal = Fatal.of(ErrorReason.ERROR_REASON_SHUTTING_DOWN, "server is shutting down");
    for (Session session : new ArrayList<>(sessions)) {
      absorbChanges();
      // The window is not honoured here: the session is about to end and a late departure notice
      // would never arrive at all.
      session.outbox().flush(now(), session.call(), new SharedFrames(config.maxOutboundFrameBytes()));
      end(session, SessionEnd.SHUTDOWN, fatal);
    }
  }

  /**
   * Tells every open session that can move that the server is draining (PRS-DRN-4). Sessions opened later are
   * told right after their {@code opened}.
   */
  public void drain() {
    for (Session session : sessions) {
      announceDrain(session);
    }
  }

  private void announceDrain(Session session) {
    if (!session.drainCapable() || session.isEnded() || !session.markDrainAnnounced()) {
      return;
    }
    // Rounded down, so the client never counts on more time than the server gives (PRS-DRN-4).
    long left = Math.max(0, registry.drainDeadline() - now());
    session.send(ConnectResponse.newBuilder().setDraining(Draining.newBuilder().setDeadlineMillis(left)).build());
  }

  /** @return the most pending live events any of this room's sessions has held at once */
  public int pendingHighWater() {
    int max = 0;
    for (Session s : sessions) {
      max = Math.max(max, s.outbox().pendingHighWater());
    }
    return max;
  }

  /** Drops timers of a room the registry just removed; late tasks then find nothing to do. */
  void discard() {
    // The registry never hands out a removed room again; a new one is created for the same id.
    executor.execute(() -> {
      discarded = true;
      if (tickTimer != null) {
        tickTimer.cancel();
      }
      if (link != null) {
        link.close();
      }
    });
  }


  void updateState(Session session, EncodedState state) {
    metrics().updateIn(false);
    changeSlot(session, state);
  }

  void clearState(Session session) {
    metrics().updateIn(true);
    // In a cluster a state published earlier may not be applied yet, so only the link can tell a no-op.
    if (session.slot() == null && link == null) {
      return;
    }
    changeSlot(session, null);
  }

  private void changeSlot(Session session, EncodedState state) {
    long arrivedAt = arrivalOf(session);
    if (link == null) {
      applySlot(session, state, ++updateSequence, arrivedAt);
      return;
    }
    link.stateChanged(session, state, sequence -> {
      if (!session.isEnded()) {
        applySlot(session, state, sequence == RoomLink.UNORDERED ? ++updateSequence : sequence, arrivedAt);
      }
    });
  }

  private void applySlot(Session session, EncodedState state, long sequence, long arrivedAt) {
    updateSequence = Math.max(updateSequence, sequence);
    session.setSlot(state, sequence);
    presenceMayHaveChanged(members.get(session.userId()), NullReason.NULL_REASON_CLEARED, arrivedAt);
  }

  /**
   * A session on another node opened, or reappeared after the cluster lost track of it.
   *
   * @param seat the remote session
   */
  public void remoteOpened(RemoteSeat seat) {
    remoteSeats++;
    Member member = seat(seat);
    updateSequence = Math.max(updateSequence, seat.slotSequence());
    if (seat.slot() != null) {
      presenceMayHaveChanged(member, NullReason.NULL_REASON_CLEARED, now());
    }
  }

  /**
   * A session on another node set or cleared its state.
   *
   * @param seat the remote session, seated by {@link #remoteOpened}
   * @param state the new state, or null
   * @param sequence the change's place in the room-wide order
   */
  public void remoteStateChanged(RemoteSeat seat, Struct state, long sequence) {
    updateSequence = Math.max(updateSequence, sequence);
    seat.setSlot(state == null ? null : EncodedState.of(state), sequence);
    presenceMayHaveChanged(members.get(seat.userId()), NullReason.NULL_REASON_CLEARED, now());
  }

  /**
   * A session on another node ended, or its node was lost.
   *
   * @param seat the remote session, seated by {@link #remoteOpened}
   * @param reason the null its user's subscribers get if it was the user's last session
   */
  public void remoteEnded(RemoteSeat seat, NullReason reason) {
    remoteSeats--;
    unseat(seat, reason);
  }

  /**
   * A local session's state got its place in the room-wide order again after the cluster lost it.
   *
   * @param session a local session
   * @param sequence the state's new place
   */
  public void reordered(Session session, long sequence) {
    updateSequence = Math.max(updateSequence, sequence);
    session.setSlot(session.slot(), sequence);
    presenceMayHaveChanged(members.get(session.userId()), NullReason.NULL_REASON_CLEARED, now());
  }


  /** Fan-out latency is measured from the transport's arrival time when known, else from now. */
  private long arrivalOf(Session session) {
    return Math.min(session.lastArrivalAt(), now());
  }

  private void presenceMayHaveChanged(Member member, NullReason reasonIfNull, long arrivedAt) {
    EncodedState presence = member.derivePresence();
    // An equal state is no change (PRS-EVT-7). Keeping the announced instance lets the fan-out recognise
    // states it already delivered by identity, which costs nothing per subscriber.
    if (EncodedState.same(presence, member.presence)) {
      return;
    }
    member.presence = presence;
    String userId = member.user.getUserId();
    announce(presence == null
        ? LiveEvent.nullOf(userId, reasonIfNull, arrivedAt)
        : LiveEvent.state(userId, presence, arrivedAt));
  }

  private void announce(LiveEvent event) {
    LiveEvent replaced = changed.remove(event.userId());
    if (replaced != null && !replaced.isNull()) {
      // A state no subscriber will ever see: the source changed again within the same tick.
      metrics().coalesced(Metrics.CoalesceStage.INGRESS);
    }
    changed.put(event.userId(), event);
    requestTick(cadence());
  }

  /** @param userId a user @return the user's presence, or null if absent or not in the room */
  EncodedState presenceOf(String userId) {
    Member m = members.get(userId);
    return m == null ? null : m.presence;
  }

  /** @param userId a user @return the member, or null */
  Member member(String userId) {
    return members.get(userId);
  }

  /** @return the members, in join order */
  Collection<Member> members() {
    return members.values();
  }


  /**
   * A later tick is put off to the next multiple of {@link #TICK_GRID_MILLIS}, so the rooms of one event loop
   * tick together, on one wake-up of its thread, instead of each on its own. A tick due now is never put off.
   */
  private static long alignedToTickGrid(long at) {
    return Math.floorDiv(at + TICK_GRID_MILLIS - 1, TICK_GRID_MILLIS) * TICK_GRID_MILLIS;
  }

  /** Changes are collected between ticks so a burst costs one pass over the subscribers. */
  private long cadence() {
    return Math.max(now(), lastTickAt + config.throttleWindowMillis());
  }

  private void requestTick(long requestedAt) {
    long now = now();
    long at = requestedAt <= now ? requestedAt : alignedToTickGrid(requestedAt);
    if (discarded || tickAt <= at) {
      return;
    }
    if (tickTimer != null) {
      tickTimer.cancel();
    }
    tickAt = at;
    long generation = ++tickGeneration;
    // The timer fires on the room's own loop, which then runs the tick at once unless the room is busy.
    tickTimer = context.timer().schedule(() -> executor.executeNowIfIdle(() -> tick(generation)), at - now);
  }

  private void tick(long generation) {
    if (discarded || generation != tickGeneration) {
      return;
    }
    tickAt = NO_TICK;
    tickTimer = null;
    long now = now();
    absorbChanges();
    SharedFrames shared = new SharedFrames(config.maxOutboundFrameBytes());
    long window = config.throttleWindowMillis();
    long next = NO_TICK;
    List<Session> resumed = List.of();
    if (cohort != null && cohort.hasPending()) {
      long due = cohort.dueAt(window);
      if (now >= due) {
        if (cohort.flush(now, shared)) {
          lastTickAt = now;
        }
        if (cohort.hasPending()) {
          next = Math.min(next, cohort.dueAt(window));
        }
      } else {
        next = Math.min(next, due);
      }
    }
    for (Session session : sessions) {
      if (session.outbox().isParked() || !session.outbox().hasPending() || !session.call().isReady()) {
        continue;
      }
      long due = session.outbox().dueAt(window);
      if (now >= due) {
        if (session.outbox().flush(now, session.call(), shared)) {
          // Only a tick that delivered starts a cadence; after a quiet spell the next change goes out at once.
          lastTickAt = now;
          if (cohort != null && session.postponed() == null) {
            cohort.tryJoin(session.outbox(), session.call());
          }
        }
        if (session.outbox().hasPending()) {
          // A rejoined user's presence waits one window after the null that ended their previous stay.
          next = Math.min(next, session.outbox().dueAt(window));
        }
        if (session.postponed() != null && !session.outbox().hasPendingMembership()) {
          resumed = resumed.isEmpty() ? new ArrayList<>() : resumed;
          resumed.add(session);
        }
      } else {
        next = Math.min(next, due);
      }
    }
    if (next != NO_TICK) {
      requestTick(next);
    }
    for (Session session : resumed) {
      ConnectRequest frame = session.postponed();
      session.postpone(null);
      onFrame(session, frame);
    }
  }

  private void absorbChanges() {
    if (changed.isEmpty()) {
      return;
    }
    List<LiveEvent> events = new ArrayList<>(changed.values());
    changed.clear();
    for (Session session : sessions) {
      if (!session.outbox().isParked()) {
        session.outbox().absorb(events);
      }
    }
    if (cohort != null) {
      cohort.absorb(events);
    }
  }

}
