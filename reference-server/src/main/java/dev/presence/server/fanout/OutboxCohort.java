package dev.presence.server.fanout;

import dev.presence.server.internal.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The subscribers of a room whose live output is the same: each covers every user, owes nothing the others do
 * not, and holds the same views. Their changes are absorbed and their batches chosen once, in one outbox, and the
 * frames written to each; without it every subscriber would do that work for every change, N times over in a room
 * of N. A member leaves, taking a copy of the shared state, as soon as anything would make it differ (a tagged
 * event, a scope change, a call that is not ready for a batch), and an outbox that matches again joins again.
 *
 * <p>Not thread-safe: used only from its room's serial executor.
 */
public final class OutboxCohort {
  private final RepeatedMetrics metrics;
  private final Outbox shared;
  private final Set<Member> members = new LinkedHashSet<>();
  private final FrameRecorder written = new FrameRecorder();

  private record Member(Outbox outbox, FrameSink sink) {}

  /** @param metrics what the members' own outboxes would count; counted once per member */
  public OutboxCohort(Metrics metrics) {
    this.metrics = new RepeatedMetrics(metrics);
    this.shared = new Outbox(Scope.EVERYONE, this.metrics);
  }

  /**
   * Parks an outbox in the cohort when its output would be the cohort's. The first member brings its state.
   *
   * @param outbox a subscriber's outbox, right after it wrote a live batch
   * @param sink where the subscriber's frames go
   * @return whether it joined
   */
  public boolean tryJoin(Outbox outbox, FrameSink sink) {
    if (outbox.isParked() || !outbox.coversEveryone() || !outbox.joinCheckDue()) {
      return false;
    }
    if (members.isEmpty()) {
      shared.copyStateFrom(outbox);
    }
    if (!outbox.sameLiveStateAs(shared)) {
      outbox.joinCheckFailed();
      return false;
    }
    Member member = new Member(outbox, sink);
    members.add(member);
    outbox.park(shared, () -> members.remove(member));
    return true;
  }

  /** @return how many outboxes are parked here */
  public int size() {
    return members.size();
  }

  /** @param events the room's changes since the last tick, as {@link Outbox#absorb} takes them */
  public void absorb(List<LiveEvent> events) {
    if (!members.isEmpty()) {
      metrics.copies = members.size();
      shared.absorb(events);
    }
  }

  /** @param change a membership change every session of the room learns */
  public void membershipChanged(MembershipChange change) {
    if (!members.isEmpty()) {
      shared.membershipChanged(change);
    }
  }

  /** @return whether the members owe anything */
  public boolean hasPending() {
    return !members.isEmpty() && shared.hasPending();
  }

  /** @param windowMillis W @return when the members' next live batch may be written */
  public long dueAt(long windowMillis) {
    return shared.dueAt(windowMillis);
  }

  /**
   * Writes what the members owe, as {@link Outbox#flush} would for each. A member whose call is not ready, or whose
   * scope no longer covers everyone, leaves first and is flushed on its own.
   *
   * @param now the clock
   * @param frames this tick's shared encodings
   * @return whether a live presence batch was written
   */
  public boolean flush(long now, SharedFrames frames) {
    List<Member> leaving = null;
    for (Member member : members) {
      if (!member.sink().isReady() || !member.outbox().coversEveryone()) {
        leaving = leaving == null ? new ArrayList<>() : leaving;
        leaving.add(member);
      }
    }
    if (leaving != null) {
      leaving.forEach(member -> member.outbox().leaveCohort());
    }
    if (members.isEmpty()) {
      return false;
    }
    metrics.copies = members.size();
    written.frames.clear();
    boolean live = shared.flush(now, written, frames);
    for (Member member : members) {
      for (int i = 0; i < written.frames.size(); i++) {
        member.sink().send(written.frames.get(i));
      }
    }
    // A quiet room would otherwise hold its last batch until its next tick.
    written.frames.clear();
    return live;
  }

  /** Keeps what the shared outbox writes in one tick, for the members. */
  private static final class FrameRecorder implements FrameSink {
    final List<Frame> frames = new ArrayList<>();

    @Override
    public void send(Frame frame) {
      frames.add(frame);
    }

    @Override
    public boolean isReady() {
      return true;
    }
  }
}
