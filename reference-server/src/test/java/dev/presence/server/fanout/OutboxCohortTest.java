package dev.presence.server.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.server.internal.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules by which outboxes share a cohort, without a room; the room-level equivalence is checked elsewhere. */
class OutboxCohortTest {
  private static final class Sink implements FrameSink {
    final List<Frame> frames = new ArrayList<>();
    boolean ready = true;

    @Override
    public void send(Frame frame) {
      frames.add(frame);
    }

    @Override
    public boolean isReady() {
      return ready;
    }
  }

  private static final class CountingMetrics implements Metrics {
    int eventsOut;
    int latencies;

    @Override
    public void eventsOut(boolean tagged, int count) {
      eventsOut += count;
    }

    @Override
    public void fanoutLatency(long millis) {
      latencies++;
    }
  }

  private static Struct s(double x) {
    return Struct.newBuilder().putFields("x", Value.newBuilder().setNumberValue(x).build()).build();
  }

  private static Outbox flushedAt(long now, LiveEvent... events) {
    Outbox outbox = new Outbox(Scope.EVERYONE);
    outbox.absorb(List.of(events));
    outbox.flush(now, new Sink(), new SharedFrames());
    return outbox;
  }

  /** The first comparison is skipped (the backoff starts at one flush), so a join takes two tries. */
  private static boolean join(OutboxCohort cohort, Outbox outbox, FrameSink sink) {
    return cohort.tryJoin(outbox, sink) || cohort.tryJoin(outbox, sink);
  }

  @Test
  void outboxesShareOnlyWithTheSameViewsAndTheSameLastBatchTime() {
    LiveEvent alice = LiveEvent.state("alice", s(1));

    assertThat(flushedAt(0, alice).sameLiveStateAs(flushedAt(0, alice))).isTrue();
    assertThat(flushedAt(0, alice).sameLiveStateAs(flushedAt(0, LiveEvent.state("alice", s(1))))).isTrue();
    // A different last batch time would let the cohort write to it sooner than W after its own last batch.
    assertThat(flushedAt(0, alice).sameLiveStateAs(flushedAt(30, alice))).isFalse();
    assertThat(flushedAt(0, alice).sameLiveStateAs(flushedAt(0, LiveEvent.state("alice", s(2))))).isFalse();
    assertThat(flushedAt(0, alice).sameLiveStateAs(flushedAt(0, alice, LiveEvent.state("bob", s(1))))).isFalse();
  }

  @Test
  void anOutboxOwingSomethingOrNotCoveringEveryoneDoesNotJoin() {
    OutboxCohort cohort = new OutboxCohort(Metrics.NOOP);
    Outbox owing = flushedAt(0, LiveEvent.state("alice", s(1)));
    owing.absorb(List.of(LiveEvent.state("bob", s(1))));
    Outbox narrow = new Outbox(user -> true);

    assertThat(join(cohort, owing, new Sink())).isFalse();
    assertThat(join(cohort, narrow, new Sink())).isFalse();
    assertThat(cohort.size()).isZero();
  }

  @Test
  void membersGetTheSameFramesAndAreCountedOnceEach() {
    CountingMetrics metrics = new CountingMetrics();
    OutboxCohort cohort = new OutboxCohort(metrics);
    Sink a = new Sink();
    Sink b = new Sink();
    assertThat(join(cohort, flushedAt(0, LiveEvent.state("alice", s(1))), a)).isTrue();
    assertThat(join(cohort, flushedAt(0, LiveEvent.state("alice", s(1))), b)).isTrue();

    cohort.absorb(List.of(LiveEvent.state("alice", s(2), 40), LiveEvent.state("bob", s(1), 45)));
    assertThat(cohort.flush(50, new SharedFrames())).isTrue();

    assertThat(a.frames).hasSize(1);
    assertThat(b.frames).containsExactlyElementsOf(a.frames);
    assertThat(metrics.eventsOut).isEqualTo(4);
    assertThat(metrics.latencies).isEqualTo(2);
  }

  @Test
  void aMemberNotReadyLeavesWithWhatItOwesBeforeTheOthersAreWritten() {
    OutboxCohort cohort = new OutboxCohort(Metrics.NOOP);
    Sink ready = new Sink();
    Sink stalled = new Sink();
    Outbox stalledOutbox = flushedAt(0, LiveEvent.state("alice", s(1)));
    join(cohort, flushedAt(0, LiveEvent.state("alice", s(1))), ready);
    join(cohort, stalledOutbox, stalled);
    cohort.absorb(List.of(LiveEvent.state("alice", s(2))));
    stalled.ready = false;

    cohort.flush(50, new SharedFrames());

    assertThat(ready.frames).hasSize(1);
    assertThat(stalled.frames).isEmpty();
    assertThat(stalledOutbox.isParked()).isFalse();
    assertThat(stalledOutbox.pendingPresenceCount()).isEqualTo(1);
    assertThat(cohort.size()).isEqualTo(1);
  }

  @Test
  void aParkedOutboxReadsTheCohortsStateAndTakesACopyBeforeAnyChange() {
    OutboxCohort cohort = new OutboxCohort(Metrics.NOOP);
    Outbox member = flushedAt(0, LiveEvent.state("alice", s(1)));
    join(cohort, member, new Sink());
    cohort.absorb(List.of(LiveEvent.state("bob", s(1))));

    assertThat(member.isParked()).isTrue();
    assertThat(member.hasPending()).isTrue();
    assertThat(member.hasView("alice")).isTrue();

    member.leftScope("alice");

    assertThat(member.isParked()).isFalse();
    assertThat(cohort.size()).isZero();
    assertThat(member.hasView("alice")).isFalse();
    assertThat(member.pendingPresenceCount()).isEqualTo(1);
  }
}
