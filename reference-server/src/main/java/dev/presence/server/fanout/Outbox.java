package dev.presence.server.fanout;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.server.internal.Metrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One subscriber's live output: the latest undelivered event per user and the undelivered membership
 * changes, plus the session's view on each user (SPEC §1.2). Everything here is bounded by the number
 * of users in the room, never by update rate or time (PRS-THR-9).
 *
 * <p>An outbox may be parked in an {@link OutboxCohort}: its live output is then the cohort's, computed once for
 * every member, and it holds nothing of its own. Reading it reads the cohort's; anything that would change it
 * first takes back a copy of the cohort's state, so a parked outbox behaves exactly as if it had never been
 * parked.
 *
 * <p>Not thread-safe: used only from its room's serial executor.
 */
public final class Outbox {
  /**
   * The view on a user after a tagged state that some covering subscription did not get: non-null for
   * every null rule, and never equal to a live state (PRS-EVT-7). Recognised by identity only.
   */
  private static final EncodedState UNDETERMINED =
      EncodedState.of(Struct.newBuilder().putFields("undetermined", Value.getDefaultInstance()).build());

  private final Scope scope;
  private final Metrics metrics;
  /** One slot per user the session has a view on or an event pending for. */
  private final Map<String, Slot> slots = new HashMap<>();
  /** The slots with a pending live event, in the order their latest changes happened once sorted. */
  private final ArrayList<Slot> pending = new ArrayList<>();
  private boolean pendingOutOfOrder;
  private int pendingCount;
  private int pendingHighWater;
  private long changesAbsorbed;
  private final LinkedHashMap<String, MembershipChanges> pendingMembership = new LinkedHashMap<>();
  private long lastLiveFlushAt = Long.MIN_VALUE / 4;
  /** The cohort's outbox while this one is parked in it, else null. */
  private Outbox lead;
  private Runnable onLeave;
  /** Flushes to let pass before this outbox next compares itself with a cohort; grows after each mismatch. */
  private int joinChecksSkipped;
  private int joinCheckBackoff = 1;

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
   * @param events the room's coalesced changes, in the order they happened
   */
  public void absorb(List<LiveEvent> events) {
    leaveCohort();
    for (int i = 0; i < events.size(); i++) {
      LiveEvent e = events.get(i);
      String user = e.userId();
      if (!scope.covers(user)) {
        continue;
      }
      Slot slot = slots.get(user);
      if (slot == null) {
        if (e.isNull()) {
          continue;
        }
        slot = new Slot(user);
        slots.put(user, slot);
      } else if (e.isNull() && slot.view == null && slot.pending == null) {
        continue;
      }
      absorb(slot, e);
    }
    pendingHighWater = Math.max(pendingHighWater, pendingCount);
  }

  private void absorb(Slot slot, LiveEvent e) {
    LiveEvent replaced = slot.pending;
    if (replaced != null && replaced.isNull() && leavesAtNextFlush(slot.user)) {
      coalesce(slot.afterRejoin);
      slot.afterRejoin = e;
    } else {
      coalesce(replaced);
      slot.pending = e;
    }
    if (replaced == null) {
      pendingCount++;
      pending.add(slot);
    } else if (pending.get(pending.size() - 1) != slot) {
      // The user changed again after others did: the batch must show the changes in the order they happened.
      pendingOutOfOrder = true;
    }
    slot.order = ++changesAbsorbed;
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
    return live().pendingCount;
  }

  /** @return the most pending live events this outbox ever held at once */
  public int pendingHighWater() {
    return Math.max(pendingHighWater, live().pendingHighWater);
  }

  /** @param change a user's joining or leaving the room, shared with the room's other outboxes */
  public void membershipChanged(MembershipChange change) {
    leaveCohort();
    pendingMembership.computeIfAbsent(change.userId(), u -> new MembershipChanges()).add(change);
  }

  /** @return whether a flush would have anything to consider */
  public boolean hasPending() {
    Outbox o = live();
    return o.pendingCount > 0 || !o.pendingMembership.isEmpty();
  }

  /**
   * @return whether membership changes wait for a flush; tagged events must not overtake them or a
   *     client could see presence of a user before learning the user joined (PRS-MEM-3)
   */
  public boolean hasPendingMembership() {
    return !live().pendingMembership.isEmpty();
  }

  /** @param windowMillis W @return the earliest time the next live batch may be written (PRS-THR-2) */
  public long dueAt(long windowMillis) {
    return live().lastLiveFlushAt + windowMillis;
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
    leaveCohort();
    // Membership changes are rare; the common flush allocates nothing for them.
    boolean membership = !pendingMembership.isEmpty();
    Set<String> joined = membership ? new HashSet<>() : Set.of();
    List<Frame> membershipFrames = membership ? new ArrayList<>() : List.of();
    for (Map.Entry<String, MembershipChanges> entry : pendingMembership.entrySet()) {
      MembershipChanges changes = entry.getValue();
      changes.changes.forEach(c -> membershipFrames.add(c.frame()));
      if (changes.endsAsMember()) {
        joined.add(entry.getKey());
      }
    }
    pendingMembership.clear();
    if (pendingOutOfOrder) {
      pending.sort(Comparator.comparingLong(slot -> slot.order));
      pendingOutOfOrder = false;
    }
    SharedFrames.Batch before = shared.empty();
    SharedFrames.Batch after = shared.empty();
    List<Slot> rejoinedNext = List.of();
    for (int i = 0; i < pending.size(); i++) {
      Slot slot = pending.get(i);
      LiveEvent e = slot.pending;
      LiveEvent rejoinedChange = slot.afterRejoin;
      slot.pending = null;
      slot.afterRejoin = null;
      if (e == null || !scope.covers(slot.user)) {
        forgetIfEmpty(slot);
        continue;
      }
      if (!e.isNull()) {
        if (membership && joined.contains(slot.user)) {
          after = withState(slot, e, after);
        } else {
          before = withState(slot, e, before);
        }
      } else if (slot.view != null) {
        before = before.then(e);
        slot.view = null;
        if (rejoinedChange != null && !rejoinedChange.isNull()) {
          rejoinedNext = rejoinedNext.isEmpty() ? new ArrayList<>() : rejoinedNext;
          slot.pending = rejoinedChange;
          rejoinedNext.add(slot);
        }
      } else if (rejoinedChange != null && !rejoinedChange.isNull()) {
        after = withState(slot, rejoinedChange, after);
      }
      forgetIfEmpty(slot);
    }
    pending.clear();
    pendingCount = rejoinedNext.size();
    for (Slot slot : rejoinedNext) {
      slot.order = ++changesAbsorbed;
      pending.add(slot);
    }
    if (!before.isEmpty()) {
      send(before, now, sink);
    }
    for (Frame f : membershipFrames) {
      sink.send(f);
    }
    if (!after.isEmpty()) {
      send(after, now, sink);
    }
    if (!before.isEmpty() || !after.isEmpty()) {
      lastLiveFlushAt = now;
      return true;
    }
    return false;
  }

  /**
   * PRS-EVT-7: a state equal to a determined view is not repeated. The view is replaced either way, by
   * an equal state if skipped, so the next comparison is by identity more often.
   */
  private static SharedFrames.Batch withState(Slot slot, LiveEvent e, SharedFrames.Batch batch) {
    EncodedState previous = slot.view;
    slot.view = e.state();
    return previous == UNDETERMINED || !EncodedState.same(e.state(), previous) ? batch.then(e) : batch;
  }

  private void forgetIfEmpty(Slot slot) {
    if (slot.view == null && slot.pending == null && slot.afterRejoin == null && slots.get(slot.user) == slot) {
      slots.remove(slot.user);
    }
  }

  private void send(SharedFrames.Batch batch, long now, FrameSink sink) {
    List<Frame> frames = batch.frames();
    for (int i = 0; i < frames.size(); i++) {
      sink.send(frames.get(i));
    }
    recordBatch(now, batch);
  }

  /** One latency sample per written batch, for its oldest change: what the slowest event in it waited. */
  private void recordBatch(long now, SharedFrames.Batch batch) {
    if (batch.carriesNull()) {
      for (LiveEvent e : batch.events()) {
        if (e.isNull()) {
          metrics.nullOut(e.nullReason());
        }
      }
    }
    metrics.eventsOut(false, batch.size());
    if (batch.oldestArrivalMillis() != Long.MAX_VALUE) {
      metrics.fanoutLatency(now - batch.oldestArrivalMillis());
    }
  }

  /** @param userId a user @return whether the session's view on the user is non-null (SPEC §1.2) */
  public boolean hasView(String userId) {
    Slot slot = live().slots.get(userId);
    return slot != null && slot.view != null;
  }

  /**
   * @param userId a user
   * @param state a state just delivered to the session in a tagged event
   * @param toEveryCoveringSubscription whether the event named every subscription covering the user; if
   *     not and the state differs from the view, the view becomes undetermined (SPEC §1.2), so the next
   *     live state reaches the subscriptions the event did not name
   */
  public void taggedStateDelivered(String userId, EncodedState state, boolean toEveryCoveringSubscription) {
    leaveCohort();
    Slot slot = slots.computeIfAbsent(userId, Slot::new);
    if (toEveryCoveringSubscription) {
      slot.view = state;
    } else if (slot.view == UNDETERMINED || !EncodedState.same(state, slot.view)) {
      slot.view = UNDETERMINED;
    }
  }

  /** @return the users the session's view on is non-null; a copy, safe to iterate while changing views */
  public List<String> usersWithView() {
    List<String> users = new ArrayList<>();
    for (Slot slot : live().slots.values()) {
      if (slot.view != null) {
        users.add(slot.user);
      }
    }
    return users;
  }

  /**
   * Ends the view on a user who left the union scope, as SPEC §1.2 defines, and drops what was
   * pending about them, an owed leave null included: it must not reach the session any more
   * (PRS-TGT-4, PRS-SUB-12).
   *
   * @param userId a user no longer covered by any subscription
   */
  public void leftScope(String userId) {
    leaveCohort();
    Slot slot = slots.remove(userId);
    if (slot == null) {
      return;
    }
    if (slot.pending != null) {
      pendingCount--;
    }
    // The slot may still sit in the pending list; with nothing pending it is skipped there.
    slot.pending = null;
    slot.afterRejoin = null;
    slot.view = null;
  }

  private Outbox live() {
    return lead == null ? this : lead;
  }

  /** @return whether this outbox is parked in a cohort */
  public boolean isParked() {
    return lead != null;
  }

  /** Takes back a copy of the cohort's state and leaves the cohort; does nothing when not parked. */
  public void leaveCohort() {
    Outbox from = lead;
    if (from != null) {
      abandonCohort();
      copyStateFrom(from);
    }
  }

  /** Leaves the cohort without taking its state, for an outbox nothing reads again (its session ended). */
  public void abandonCohort() {
    if (lead == null) {
      return;
    }
    Runnable leave = onLeave;
    lead = null;
    onLeave = null;
    leave.run();
  }

  boolean coversEveryone() {
    return scope.coversEveryone();
  }

  /**
   * Whether to compare this outbox with a cohort now: after each mismatch the next comparison waits for twice as
   * many flushes (up to 64), so an outbox that stays different costs little.
   */
  boolean joinCheckDue() {
    if (joinChecksSkipped < joinCheckBackoff) {
      joinChecksSkipped++;
      return false;
    }
    joinChecksSkipped = 0;
    return true;
  }

  void joinCheckFailed() {
    joinCheckBackoff = Math.min(64, joinCheckBackoff * 2);
  }

  /**
   * @param other another outbox of the same room
   * @return whether both owe nothing, last wrote a live batch at the same time, and hold equal views on the same
   *     users: the same events then give both the same live output
   */
  boolean sameLiveStateAs(Outbox other) {
    if (!quiet() || !other.quiet() || lastLiveFlushAt != other.lastLiveFlushAt
        || slots.size() != other.slots.size()) {
      return false;
    }
    for (Slot slot : slots.values()) {
      Slot theirs = other.slots.get(slot.user);
      if (theirs == null || !sameView(slot.view, theirs.view)) {
        return false;
      }
    }
    return true;
  }

  private boolean quiet() {
    return pendingCount == 0 && pending.isEmpty() && pendingMembership.isEmpty();
  }

  private static boolean sameView(EncodedState a, EncodedState b) {
    return a == b || (a != UNDETERMINED && b != UNDETERMINED && EncodedState.same(a, b));
  }

  /** Parks this outbox in a cohort whose outbox is {@code lead}; {@code onLeave} runs when it leaves. */
  void park(Outbox lead, Runnable onLeave) {
    this.lead = lead;
    this.onLeave = onLeave;
    joinCheckBackoff = 1;
    slots.clear();
    pending.clear();
    pendingCount = 0;
  }

  /** Replaces this outbox's live state with a copy of {@code from}'s; the high-water mark only grows. */
  void copyStateFrom(Outbox from) {
    slots.clear();
    pending.clear();
    Map<Slot, Slot> copies = new IdentityHashMap<>();
    for (Slot slot : from.slots.values()) {
      Slot copy = slot.copy();
      copies.put(slot, copy);
      slots.put(copy.user, copy);
    }
    for (Slot slot : from.pending) {
      // A slot the outbox forgot (its user left the scope) may still sit in the pending list, owing nothing.
      Slot copy = copies.get(slot);
      pending.add(copy == null ? slot.copy() : copy);
    }
    pendingOutOfOrder = from.pendingOutOfOrder;
    pendingCount = from.pendingCount;
    pendingHighWater = Math.max(pendingHighWater, from.pendingHighWater);
    changesAbsorbed = from.changesAbsorbed;
    lastLiveFlushAt = from.lastLiveFlushAt;
    pendingMembership.clear();
    from.pendingMembership.forEach((user, changes) -> pendingMembership.put(user, changes.copy()));
  }

  /**
   * What the session knows and owes about one user: its view (SPEC §1.2) and the latest undelivered change,
   * kept together so a change costs one lookup per subscriber.
   */
  private static final class Slot {
    final String user;
    /** Null when the view is null, {@link #UNDETERMINED} after a partly tagged state. */
    EncodedState view;
    LiveEvent pending;
    /** A change of a user who rejoined while the null ending their previous stay is pending (PRS-MEM-5). */
    LiveEvent afterRejoin;
    /** When the pending change was absorbed, relative to this outbox's other changes. */
    long order;

    Slot(String user) {
      this.user = user;
    }

    Slot copy() {
      Slot copy = new Slot(user);
      copy.view = view;
      copy.pending = pending;
      copy.afterRejoin = afterRejoin;
      copy.order = order;
      return copy;
    }
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
    final List<MembershipChange> changes = new ArrayList<>(KEPT + 1);

    void add(MembershipChange change) {
      changes.add(change);
      if (changes.size() > KEPT) {
        changes.subList(1, 3).clear();
      }
    }

    boolean includesLeave() {
      for (MembershipChange c : changes) {
        if (!c.joined()) {
          return true;
        }
      }
      return false;
    }

    MembershipChanges copy() {
      MembershipChanges copy = new MembershipChanges();
      copy.changes.addAll(changes);
      return copy;
    }

    boolean endsAsMember() {
      return changes.get(changes.size() - 1).joined();
    }
  }
}
