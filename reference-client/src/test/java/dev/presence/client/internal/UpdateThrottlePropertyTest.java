package dev.presence.client.internal;

import dev.presence.client.testing.Covers;
import dev.presence.conformance.property.Generator;
import dev.presence.conformance.property.PropertyCheck;
import dev.presence.conformance.property.Shrinker;
import dev.presence.conformance.property.Shrinkers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The throttle's promises (SPEC §7.1) over random call timings, on a manual clock, with the project's seeded
 * property engine. A failure prints the seed (replay with {@code -Dpresence.seed=<seed>}) and the smallest
 * schedule that still fails.
 */
@Covers("PRS-THC-1")
@Covers("PRS-THC-2")
@Covers("PRS-THC-3")
@Covers("PRS-THC-4")
class UpdateThrottlePropertyTest {

  /** One application call, {@code waitMillis} after the previous one. */
  record Call(long waitMillis, boolean clear) {
    @Override
    public String toString() {
      return "+" + waitMillis + (clear ? " clear" : " update");
    }
  }

  /**
   * A schedule of calls.
   *
   * @param windowMillis the throttle window
   * @param timerLatenessMillis how late the timer fires its tasks, as a busy real timer would
   * @param calls the calls in order
   */
  record Schedule(long windowMillis, long timerLatenessMillis, List<Call> calls) {
    @Override
    public String toString() {
      return "window=" + windowMillis + "ms late=" + timerLatenessMillis + "ms calls="
          + calls.stream().map(Call::toString).collect(Collectors.joining(", ", "[", "]"));
    }
  }

  /** What happened, in order: the application's calls and the throttle's sends. */
  record Event(long at, String kind, int value) {}

  static final Generator<Schedule> SCHEDULES = random -> {
    long window = random.nextBoolean() ? 50 : random.nextLong(16, 1_001);
    long lateness = random.nextInt(3) == 0 ? random.nextLong(1, 1 + window / 2) : 0;
    int n = random.nextInt(0, 80);
    List<Call> calls = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // Mostly bursts inside one window, sometimes a pause longer than it.
      long wait = random.nextInt(5) == 0 ? random.nextLong(0, 3 * window) : random.nextLong(0, window / 2 + 1);
      calls.add(new Call(wait, random.nextInt(8) == 0));
    }
    return new Schedule(window, lateness, List.copyOf(calls));
  };

  static final Shrinker<Call> CALL = call -> Stream.concat(
      call.clear() ? Stream.of(new Call(call.waitMillis(), false)) : Stream.empty(),
      Shrinkers.towards(0).candidates(call.waitMillis()).map(w -> new Call(w, call.clear())));

  static final Shrinker<Schedule> SHRINK = s -> Stream.of(
          Shrinkers.list(CALL).candidates(s.calls())
              .map(calls -> new Schedule(s.windowMillis(), s.timerLatenessMillis(), calls)),
          Shrinkers.towards(0).candidates(s.timerLatenessMillis())
              .map(late -> new Schedule(s.windowMillis(), late, s.calls())),
          Shrinkers.towards(16).candidates(s.windowMillis())
              .map(w -> new Schedule(w, Math.min(s.timerLatenessMillis(), w / 2), s.calls())))
      .flatMap(c -> c);

  @Test
  void everyPromiseHoldsForRandomSchedules() {
    PropertyCheck.forAll("client throttle (PRS-THC-1..4)", SCHEDULES)
        .shrinkWith(SHRINK)
        .trials(500)
        .build()
        .assertHolds(UpdateThrottlePropertyTest::violation);
  }

  /** Runs a schedule and returns the first broken promise, if any. */
  static Optional<String> violation(Schedule s) {
    UpdateThrottleTest.ManualTime time = new UpdateThrottleTest.ManualTime();
    List<Event> events = new ArrayList<>();
    UpdateThrottle<Integer> throttle = new UpdateThrottle<>(s.windowMillis(), () -> time.now,
        (task, delay) -> time.schedule(task, delay + s.timerLatenessMillis()),
        v -> events.add(new Event(time.now, "sent", v)));
    for (int i = 0; i < s.calls().size(); i++) {
      Call call = s.calls().get(i);
      time.advance(call.waitMillis());
      if (call.clear()) {
        events.add(new Event(time.now, "clear", i));
        throttle.cancelPending();
      } else {
        events.add(new Event(time.now, "update", i));
        throttle.submit(i);
      }
    }
    time.advance(s.windowMillis() + s.timerLatenessMillis() + 1);
    return check(s, events);
  }

  private static Optional<String> check(Schedule s, List<Event> events) {
    long w = s.windowMillis();
    Event lastSent = null;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      if (e.kind().equals("sent")) {
        if (lastSent != null && e.at() - lastSent.at() < w) {
          return Optional.of("two sends " + (e.at() - lastSent.at()) + " ms apart, window " + w + " ms (PRS-THC-1)");
        }
        if (lastSent != null && e.value() <= lastSent.value()) {
          return Optional.of("update #" + e.value() + " sent after #" + lastSent.value() + " (reordered)");
        }
        int submitted = indexOf(events, "update", e.value());
        for (int j = submitted + 1; j < i; j++) {
          if (events.get(j).kind().equals("clear")) {
            return Optional.of("update #" + e.value() + " sent after a clear that came later (PRS-THC-4)");
          }
        }
        lastSent = e;
      } else if (e.kind().equals("update")) {
        boolean idle = lastSent == null || e.at() - lastSent.at() >= w;
        Event next = i + 1 < events.size() ? events.get(i + 1) : null;
        boolean sentAtOnce = next != null && next.kind().equals("sent") && next.value() == e.value()
            && next.at() == e.at();
        if (idle && !sentAtOnce) {
          return Optional.of("update #" + e.value() + " after a quiet window was not sent at once (PRS-THC-2)");
        }
      }
    }
    Event lastCall = null;
    for (Event e : events) {
      if (!e.kind().equals("sent")) {
        lastCall = e;
      }
    }
    if (lastCall != null && lastCall.kind().equals("update")
        && (lastSent == null || lastSent.value() != lastCall.value())) {
      return Optional.of("the last update #" + lastCall.value() + " was never sent (PRS-THC-3)");
    }
    return Optional.empty();
  }

  private static int indexOf(List<Event> events, String kind, int value) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).kind().equals(kind) && events.get(i).value() == value) {
        return i;
      }
    }
    throw new AssertionError("no " + kind + " #" + value);
  }

  @Test
  void theCheckRejectsABrokenThrottle() {
    // A throttle that forgets the trailing edge must be caught, or the property above proves nothing.
    Schedule burst = new Schedule(50, 0, List.of(new Call(0, false), new Call(10, false)));
    List<Event> droppedTrailing = List.of(new Event(1_000, "update", 0), new Event(1_000, "sent", 0),
        new Event(1_010, "update", 1));
    org.assertj.core.api.Assertions.assertThat(check(burst, droppedTrailing)).isPresent();
    org.assertj.core.api.Assertions.assertThat(violation(burst)).isEmpty();
  }
}
