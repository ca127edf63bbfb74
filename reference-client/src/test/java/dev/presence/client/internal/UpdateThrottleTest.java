package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deterministic throttle tests on a manual clock and scheduler; {@link UpdateThrottlePropertyTest} adds random schedules. */
class UpdateThrottleTest {

  /** A manual clock plus scheduler: time only moves in {@link #advance}. */
  static final class ManualTime implements UpdateThrottle.Scheduler {
    long now = 1_000;
    final List<Task> tasks = new ArrayList<>();
    long seq;

    final class Task {
      final long due;
      final long id = seq++;
      final Runnable r;
      boolean cancelled;

      Task(long due, Runnable r) {
        this.due = due;
        this.r = r;
      }
    }

    @Override
    public UpdateThrottle.Cancellable schedule(Runnable task, long delayMillis) {
      assertThat(delayMillis).isNotNegative();
      Task t = new Task(now + delayMillis, task);
      tasks.add(t);
      return () -> t.cancelled = true;
    }

    void advance(long millis) {
      long target = now + millis;
      while (true) {
        Task next = tasks.stream().filter(t -> !t.cancelled && t.due <= target)
            .min(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.id)).orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
        now = Math.max(now, next.due);
        next.r.run();
      }
      now = target;
    }

    int armed() {
      return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }
  }

  record Sent(long at, String value) {}

  private final ManualTime time = new ManualTime();
  private final List<Sent> sent = new ArrayList<>();
  private final UpdateThrottle<String> throttle =
      new UpdateThrottle<>(50, () -> time.now, time, v -> sent.add(new Sent(time.now, v)));

  @Test
  void firstUpdateAfterIdleGoesOutAtOnce() {
    throttle.submit("a");
    assertThat(sent).containsExactly(new Sent(1_000, "a"));
    time.advance(50);
    throttle.submit("b");
    assertThat(sent).containsExactly(new Sent(1_000, "a"), new Sent(1_050, "b"));
    assertThat(time.armed()).isZero();
  }

  @Test
  void updatesInsideTheWindowCoalesceToTheLatestAtTheWindowEnd() {
    throttle.submit("a");
    time.advance(10);
    throttle.submit("b");
    time.advance(10);
    throttle.submit("c");
    assertThat(sent).hasSize(1);
    assertThat(throttle.pending()).isEqualTo("c");
    time.advance(29);
    assertThat(sent).hasSize(1);
    time.advance(1);
    assertThat(sent).containsExactly(new Sent(1_000, "a"), new Sent(1_050, "c"));
    assertThat(throttle.pending()).isNull();
  }

  @Test
  void trailingSendStartsANewWindow() {
    throttle.submit("a");
    time.advance(20);
    throttle.submit("b");
    time.advance(30);
    assertThat(sent).extracting(Sent::at).containsExactly(1_000L, 1_050L);
    time.advance(10);
    throttle.submit("c");
    assertThat(sent).hasSize(2);
    time.advance(40);
    assertThat(sent).containsExactly(new Sent(1_000, "a"), new Sent(1_050, "b"), new Sent(1_100, "c"));
  }

  @Test
  void clearDiscardsThePendingUpdateAndDoesNotReopenTheWindow() {
    throttle.submit("a");
    time.advance(10);
    throttle.submit("b");
    assertThat(throttle.cancelPending()).isTrue();
    time.advance(100);
    assertThat(sent).containsExactly(new Sent(1_000, "a"));
    // A clear is not an update_state: the next update still honours the window of the last one.
    ManualTime t2 = new ManualTime();
    List<Sent> s2 = new ArrayList<>();
    UpdateThrottle<String> th = new UpdateThrottle<>(50, () -> t2.now, t2, v -> s2.add(new Sent(t2.now, v)));
    th.submit("a");
    t2.advance(10);
    th.submit("b");
    th.cancelPending();
    t2.advance(10);
    th.submit("c");
    assertThat(s2).hasSize(1);
    t2.advance(30);
    assertThat(s2).containsExactly(new Sent(1_000, "a"), new Sent(1_050, "c"));
  }

  @Test
  void cancelledTimerThatStillRunsDoesNothing() {
    List<Runnable> fired = new ArrayList<>();
    // This scheduler cannot cancel: every task runs, as a late-firing real timer might.
    UpdateThrottle.Scheduler leaky = (task, delay) -> {
      fired.add(task);
      return () -> { };
    };
    List<String> out = new ArrayList<>();
    long[] now = {0};
    UpdateThrottle<String> th = new UpdateThrottle<>(50, () -> now[0], leaky, out::add);
    th.submit("a");
    now[0] = 10;
    th.submit("b");
    th.cancelPending();
    now[0] = 60;
    fired.forEach(Runnable::run);
    assertThat(out).containsExactly("a");
  }

  @Test
  void earlyTimerWaitsForTheRemainderOfTheWindow() {
    List<long[]> delays = new ArrayList<>();
    List<Runnable> fired = new ArrayList<>();
    UpdateThrottle.Scheduler sched = (task, delay) -> {
      delays.add(new long[] {delay});
      fired.add(task);
      return () -> { };
    };
    List<String> out = new ArrayList<>();
    long[] now = {0};
    UpdateThrottle<String> th = new UpdateThrottle<>(50, () -> now[0], sched, out::add);
    th.submit("a");
    now[0] = 10;
    th.submit("b");
    assertThat(delays.get(0)[0]).isEqualTo(40);
    now[0] = 45;
    fired.remove(0).run();
    assertThat(out).containsExactly("a");
    assertThat(delays.get(1)[0]).isEqualTo(5);
    now[0] = 50;
    fired.remove(0).run();
    assertThat(out).containsExactly("a", "b");
  }

  @Test
  void markSentRestartsTheWindowAndDropsTheSupersededPending() {
    throttle.submit("a");
    time.advance(10);
    throttle.submit("b");
    throttle.markSent();
    time.advance(100);
    assertThat(sent).containsExactly(new Sent(1_000, "a"));
    throttle.submit("c");
    assertThat(sent).hasSize(2);
  }

  @Test
  void windowChangeAppliesToTheNextDecision() {
    throttle.setWindowMillis(200);
    throttle.submit("a");
    time.advance(100);
    throttle.submit("b");
    time.advance(99);
    assertThat(sent).hasSize(1);
    time.advance(1);
    assertThat(sent).extracting(Sent::value).containsExactly("a", "b");
  }

  @Test
  void aLateTrailingTimerDoesNotHoldBackALeadingSend() {
    // Found by UpdateThrottlePropertyTest: a busy timer thread fires after the window ended, and an update
    // arriving in between must still go out at once (PRS-THC-2), superseding the pending one.
    List<Runnable> neverFired = new ArrayList<>();
    List<String> out = new ArrayList<>();
    long[] now = {0};
    UpdateThrottle<String> th = new UpdateThrottle<>(50, () -> now[0], (task, delay) -> {
      neverFired.add(task);
      return () -> { };
    }, out::add);
    th.submit("a");
    now[0] = 10;
    th.submit("b");
    now[0] = 50;
    th.submit("c");
    assertThat(out).containsExactly("a", "c");
    neverFired.forEach(Runnable::run);
    assertThat(out).containsExactly("a", "c");
  }
}
