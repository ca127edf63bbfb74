package dev.presence.server.fanout;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.MemberJoined;
import dev.presence.protocol.v1.MemberLeft;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.User;
import dev.presence.server.internal.Metrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One subscriber's live output: the latest undelivered event per user and the undelivered membership
 * changes, plus the session's view on each user (SPEC §1.2). Everything here is bounded by the number
 * of users in the room, never by update rate or time (PRS-THR-9).
 *
 * <p>Not thread-safe: used only from its room's serial executor.
 */
public final class Outbox {
  /**
   * The view on a user after a tagged state that some covering subscription did not get: non-null for
   * every null rule, and never equal to a live state (PRS-EVT-7). Recognised by identity only.
   */
  private static final Struct UNDETERMINED =
      Struct.newBuilder().putFields("undetermined", Value.getDefaultInstance()).build();

  private final Scope scope;
  private final Metrics metrics;
  private int pendingHighWater;
  private final LinkedHashMap<String, LiveEvent> pendingPresence = new LinkedHashMap<>();
  /** Changes of users who rejoined while the null ending their previous stay is pending (PRS-MEM-5). */
  private final LinkedHashMap<String, LiveEvent> afterRejoin = new LinkedHashMap<>();
  private final LinkedHashMap<String, MembershipChanges> pendingMembership = new LinkedHashMap<>();
  private final Map<String, Struct> views = new HashMap<>();
  private long lastLiveFlushAt = Long.MIN_VALUE / 4;

  /** @param scope the session's union scope, consulted at absorb and flush time */
  public Outbox(Scope scope) {
    this(scope, Metrics.NOOP);
  }

  /** @param scope the session's union scope @param metrics counts coalescing, events and latency */
  public Outbox(Scope scope, Metrics metrics) {
    this.scope = scope;
    this.metrics = metrics;
  }

  /**
   * Takes the room's changes since the last tick, keeping only the latest per user. A null about a user
   * the session has no view on and no pending event for is dropped at once: it could only be spurious.
   * A pending null about a user who left is never coalesced away by what the user does after rejoining
   * (PRS-MEM-5).
   *
   * @param events the room's coalesced changes
   */
  public void absorb(List<LiveEvent> events) {
    for (LiveEvent e : events) {
      String user = e.userId();
      if (!scope.covers(user)) {
        continue;
      }
      if (e.isNull() && !views.containsKey(user) && !pendingPresence.containsKey(user)) {
        continue;
      }
      // Re-insertion keeps the batch in the order the latest changes happened. Right after a flush the map
      // is empty, the common case, and the lookup is skipped.
      LiveEvent replaced = pendingPresence.isEmpty() ? null : pendingPresence.remove(user);
      if (replaced != null && replaced.isNull() && leavesAtNextFlush(user)) {
        pendingPresence.put(user, replaced);
        coalesce(afterRejoin.put(user, e));
        continue;
      }
      coalesce(replaced);
      pendingPresence.put(user, e);
    }
    pendingHighWater = Math.max(pendingHighWater, pendingPresence.size());
  }

  private void coalesce(LiveEvent replaced) {
    if (replaced != null && !replaced.isNull()) {
      metrics.coalesced(Metrics.CoalesceStage.SUBSCRIBER);
    }
  }

  private boolean leavesAtNextFlush(String user) {
    MembershipChanges changes = pendingMembership.get(user);
    return changes != null && changes.includesLeave();
  }

  /** @return how many users have a pending live event now; at most one per user (PRS-THR-9) */
  public int pendingPresenceCount() {
    return pendingPresence.size();
  }

  /** @return the most pending live events this outbox ever held at once */
  public int pendingHighWater() {
    return pendingHighWater;
  }

  /** @param user a user whose first session in the room opened */
  public void memberJoined(User user) {
    membershipChanges(user.getUserId()).add(ConnectResponse.newBuilder()
        .setMemberJoined(MemberJoined.newBuilder().setUser(user)).build());
  }

  /** @param userId a user whose last session in the room ended @param reason the PRS-END-3 reason */
  public void memberLeft(String userId, NullReason reason) {
    membershipChanges(userId).add(ConnectResponse.newBuilder()
        .setMemberLeft(MemberLeft.newBuilder().setUserId(userId).setReason(reason)).build());
  }

  private MembershipChanges membershipChanges(String userId) {
    return pendingMembership.computeIfAbsent(userId, u -> new MembershipChanges());
  }

  /** @return whether a flush would have anything to consider */
  public boolean hasPending() {
    return !pendingPresence.isEmpty() || !pendingMembership.isEmpty();
  }

  /**
   * @return whether membership changes wait for a flush; tagged events must not overtake them or a
   *     client could see presence of a user before learning the user joined (PRS-MEM-3)
   */
  public boolean hasPendingMembership() {
    return !pendingMembership.isEmpty();
  }

  /** @param windowMillis W @return the earliest time the next live batch may be written (PRS-THR-2) */
  public long dueAt(long windowMillis) {
    return lastLiveFlushAt + windowMillis;
  }

  /**
   * Writes everything pending, in an order that satisfies PRS-MEM-2, PRS-MEM-3 and PRS-MEM-5: presence
   * of users who stay (including the nulls of users who left), then member_left, then member_joined,
   * then the presence of users who joined. A rejoined user whose null this batch carries gets their new
   * presence in the next batch, one window later (PRS-THR-2). The caller checks readiness and the window.
   *
   * @param now the clock, recorded as the time of the last live batch
   * @param sink the session's call
   * @param shared this tick's shared encodings
   * @return whether a live presence batch was written
   */
  public boolean flush(long now, FrameSink sink, SharedFrames shared) {
    // Membership changes are rare; the common flush allocates nothing for them.
    boolean membership = !pendingMembership.isEmpty();
    Set<String> joined = membership ? new HashSet<>() : Set.of();
    List<Frame> membershipFrames = membership ? new ArrayList<>() : List.of();
    for (Map.Entry<String, MembershipChanges> entry : pendingMembership.entrySet()) {
      String user = entry.getKey();
      MembershipChanges changes = entry.getValue();
      changes.frames.forEach(f -> membershipFrames.add(FrameEncoder.encode(f)));
      if (changes.endsAsMember()) {
        joined.add(user);
      }
    }
    List<LiveEvent> before = new ArrayList<>(pendingPresence.size());
    List<LiveEvent> after = membership ? new ArrayList<>() : List.of();
    List<LiveEvent> nextBatch = List.of();
    for (LiveEvent e : pendingPresence.values()) {
      String user = e.userId();
      if (!scope.covers(user)) {
        continue;
      }
      LiveEvent rejoinedChange = afterRejoin.isEmpty() ? null : afterRejoin.remove(user);
      if (!e.isNull()) {
        addState(e, joined.contains(user) ? after : before);
      } else if (views.containsKey(user)) {
        before.add(e);
        views.remove(user);
        if (rejoinedChange != null && !rejoinedChange.isNull()) {
          nextBatch = nextBatch.isEmpty() ? new ArrayList<>() : nextBatch;
          nextBatch.add(rejoinedChange);
        }
      } else if (rejoinedChange != null && !rejoinedChange.isNull()) {
        addState(rejoinedChange, after);
      }
    }
    pendingPresence.clear();
    pendingMembership.clear();
    for (LiveEvent e : nextBatch) {
      pendingPresence.put(e.userId(), e);
    }
    if (!before.isEmpty()) {
      send(before, now, sink, shared);
    }
    for (Frame f : membershipFrames) {
      sink.send(f);
    }
    if (!after.isEmpty()) {
      send(after, now, sink, shared);
    }
    if (!before.isEmpty() || !after.isEmpty()) {
      lastLiveFlushAt = now;
      return true;
    }
    return false;
  }

  /**
   * PRS-EVT-7: a state equal to a determined view is not repeated. The view is replaced either way, by
   * an equal state if skipped, which saves a lookup per delivery.
   */
  private void addState(LiveEvent e, List<LiveEvent> batch) {
    Struct previous = views.put(e.userId(), e.state());
    if (previous == UNDETERMINED || !sameState(e.state(), previous)) {
      batch.add(e);
    }
  }

  private void send(List<LiveEvent> batch, long now, FrameSink sink, SharedFrames shared) {
    List<Frame> frames = shared.liveFrames(batch);
    for (int i = 0; i < frames.size(); i++) {
      sink.send(frames.get(i));
    }
    recordBatch(now, batch);
  }

  /** One latency sample per written batch, for its oldest change: what the slowest event in it waited. */
  private void recordBatch(long now, List<LiveEvent> batch) {
    long oldest = Long.MAX_VALUE;
    for (LiveEvent e : batch) {
      oldest = Math.min(oldest, e.arrivedAtMillis());
      if (e.isNull()) {
        metrics.nullOut(e.nullReason());
      }
    }
    metrics.eventsOut(false, batch.size());
    if (oldest != Long.MAX_VALUE) {
      metrics.fanoutLatency(now - oldest);
    }
  }

  /** @param userId a user @return whether the session's view on the user is non-null (SPEC §1.2) */
  public boolean hasView(String userId) {
    return views.containsKey(userId);
  }

  /**
   * @param userId a user
   * @param state a state just delivered to the session in a tagged event
   * @param toEveryCoveringSubscription whether the event named every subscription covering the user; if
   *     not and the state differs from the view, the view becomes undetermined (SPEC §1.2), so the next
   *     live state reaches the subscriptions the event did not name
   */
  public void taggedStateDelivered(String userId, Struct state, boolean toEveryCoveringSubscription) {
    if (toEveryCoveringSubscription) {
      views.put(userId, state);
      return;
    }
    Struct view = views.get(userId);
    if (view == UNDETERMINED || !sameState(state, view)) {
      views.put(userId, UNDETERMINED);
    }
  }

  /** Messages memoize their hash, so unequal states are told apart in constant time. */
  private static boolean sameState(Struct a, Struct b) {
    return a == b || (b != null && a.hashCode() == b.hashCode() && a.equals(b));
  }

  /** @return the users the session's view on is non-null; a copy, safe to iterate while changing views */
  public List<String> usersWithView() {
    return new ArrayList<>(views.keySet());
  }

  /**
   * Ends the view on a user who left the union scope, as SPEC §1.2 defines, and drops what was
   * pending about them, an owed leave null included: it must not reach the session any more
   * (PRS-TGT-4, PRS-SUB-12).
   *
   * @param userId a user no longer covered by any subscription
   */
  public void leftScope(String userId) {
    views.remove(userId);
    pendingPresence.remove(userId);
    afterRejoin.remove(userId);
  }

  /**
   * A user's membership changes that the session will learn at the next flush, in the order the room made
   * them. Every change is delivered (PRS-MEM-1, PRS-MEM-2, PRS-MEM-4), even a join and a leave between two
   * flushes. Changes alternate, so a user who comes and goes faster than the session is written to keeps the
   * first change and the last two: the session still sees a departure and a return, the user's final
   * membership, and memory stays bounded per user (PRS-MEM-7, PRS-THR-9).
   */
  private static final class MembershipChanges {
    private static final int KEPT = 3;
    final List<ConnectResponse> frames = new ArrayList<>(KEPT + 1);

    void add(ConnectResponse change) {
      frames.add(change);
      if (frames.size() > KEPT) {
        frames.subList(1, 3).clear();
      }
    }

    boolean includesLeave() {
      return frames.stream().anyMatch(ConnectResponse::hasMemberLeft);
    }

    boolean endsAsMember() {
      return frames.get(frames.size() - 1).hasMemberJoined();
    }
  }
}
