package dev.presence.server.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.config.ServerConfig;
import dev.presence.server.fanout.OutboxCohort;
import dev.presence.server.internal.Metrics;
import dev.presence.server.session.SessionEnd;
import dev.presence.server.support.Frames;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link OutboxCohort} is an optimisation only: in random rooms run twice on a fake clock, once with subscribers
 * sharing a cohort's outbox and once each on its own, every session receives the same frames at the same times.
 * A failing room is shrunk to the fewest steps that still differ and printed with its seed.
 */
class OutboxCohortEquivalenceTest {
  private static final int ROOMS = 1000;
  /** Rooms in which two outboxes shared a cohort: about one in ten does, so more rooms run until this many did. */
  private static final int SHARED_ROOMS = 100;
  private static final int MAX_ROOMS = 5000;
  private static final int STEPS = 80;
  private static final String[] USERS = {"u0", "u1", "u2", "u3"};
  private static final long[] ADVANCES = {0, 10, 25, 50, 50, 60, 120};
  private static final SessionEnd[] ENDS = {SessionEnd.LEAVE, SessionEnd.CANCEL, SessionEnd.TRANSPORT_LOSS};

  @Test
  void sharingChangesNoFrameAndNoTime() {
    long seed = Long.getLong("presence.cohort.seed", System.nanoTime());
    System.out.println("OutboxCohortEquivalenceTest seed " + seed + " (-Dpresence.cohort.seed=" + seed + " repeats it)");
    Random random = new Random(seed);
    int sharedRooms = 0;
    for (int room = 0; room < ROOMS || (sharedRooms < SHARED_ROOMS && room < MAX_ROOMS); room++) {
      List<Step> steps = randomSteps(random);
      Outcome shared = run(steps, true);
      Outcome alone = run(steps, false);
      if (shared.joined > 1) {
        sharedRooms++;
      }
      if (!shared.frames.equals(alone.frames)) {
        List<Step> minimal = shrink(steps);
        Outcome a = run(minimal, true);
        Outcome b = run(minimal, false);
        throw new AssertionError("seed " + seed + ", room " + room + ": sharing changed what sessions received."
            + "\nminimal steps (" + minimal.size() + "): " + minimal
            + "\nshared: " + a.frames + "\nalone:  " + b.frames);
      }
    }
    // Rooms where no two outboxes ever shared a cohort would prove nothing about it.
    assertThat(sharedRooms).as("rooms in which two outboxes shared a cohort, of " + MAX_ROOMS + " at most")
        .isGreaterThanOrEqualTo(SHARED_ROOMS);
  }

  private static List<Step> randomSteps(Random random) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      int k = random.nextInt(6);
      String user = USERS[random.nextInt(USERS.length)];
      int roll = random.nextInt(100);
      if (roll < 10) {
        steps.add(new Step.Open(user));
      } else if (roll < 20) {
        // All users most of the time: that is the scope a cohort needs.
        steps.add(new Step.Subscribe(k, "s" + random.nextInt(2), Math.max(0, random.nextInt(5) - 2), user));
      } else if (roll < 24) {
        steps.add(new Step.Unsubscribe(k, "s" + random.nextInt(2)));
      } else if (roll < 28) {
        steps.add(new Step.Follow(k, user, random.nextBoolean()));
      } else if (roll < 55) {
        steps.add(new Step.Update(k, random.nextInt(3)));
      } else if (roll < 59) {
        steps.add(new Step.Clear(k));
      } else if (roll < 84) {
        steps.add(new Step.Advance(ADVANCES[random.nextInt(ADVANCES.length)]));
      } else if (roll < 92) {
        steps.add(new Step.Ready(k, random.nextBoolean()));
      } else {
        steps.add(new Step.End(k, ENDS[random.nextInt(ENDS.length)]));
      }
    }
    return steps;
  }

  /** Removes steps one at a time, from the last, for as long as the rest still tells the two paths apart. */
  private static List<Step> shrink(List<Step> failing) {
    List<Step> steps = new ArrayList<>(failing);
    boolean removed = true;
    while (removed) {
      removed = false;
      for (int i = steps.size() - 1; i >= 0; i--) {
        List<Step> fewer = new ArrayList<>(steps);
        fewer.remove(i);
        if (!run(fewer, true).frames.equals(run(fewer, false).frames)) {
          steps = fewer;
          removed = true;
        }
      }
    }
    return steps;
  }

  private record Outcome(List<String> frames, int joined) {}

  private static Outcome run(List<Step> steps, boolean sharesOutboxes) {
    RoomHarness h = new RoomHarness(ServerConfig.builder().port(0).build(), Metrics.NOOP, sharesOutboxes);
    List<RoomHarness.Client> clients = new ArrayList<>();
    int joined = 0;
    for (Step step : steps) {
      step.apply(h, clients);
      joined = Math.max(joined, parked(clients));
    }
    for (RoomHarness.Client c : clients) {
      if (!c.session.isEnded() && !c.call.ready) {
        c.becomeReady();
      }
    }
    for (int i = 0; i < 4; i++) {
      h.time.advance(100);
      h.time.runDue();
    }
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      for (FakeCall.Sent sent : clients.get(i).call.sent) {
        frames.add("#" + i + "@" + sent.at() + " " + sent.frame().toString().replace('\n', ' '));
      }
    }
    return new Outcome(frames, joined);
  }

  private static int parked(List<RoomHarness.Client> clients) {
    int n = 0;
    for (RoomHarness.Client c : clients) {
      if (!c.session.isEnded() && c.session.outbox().isParked()) {
        n++;
      }
    }
    return n;
  }

  /** One thing that happens in the room; a step naming a session that does not exist or ended does nothing. */
  private sealed interface Step {
    void apply(RoomHarness h, List<RoomHarness.Client> clients);

    private static void to(List<RoomHarness.Client> clients, int k, Function<RoomHarness.Client, Runnable> action) {
      if (k < clients.size() && !clients.get(k).session.isEnded()) {
        action.apply(clients.get(k)).run();
      }
    }

    record Open(String user) implements Step {
      public void apply(RoomHarness h, List<RoomHarness.Client> clients) {
        clients.add(h.open("r", user));
        h.time.runDue();
      }
    }

    record Subscribe(int k, String id, int kind, String user) implements Step {
      public void apply(RoomHarness h, List<RoomHarness.Client> clients) {
        to(clients, k, c -> () -> c.send(Frames.subscribe(clients.size() + 100L, id,
            kind == 0 ? Frames.all() : kind == 1 ? Frames.following() : Frames.user(user))));
      }
    }

    record Unsubscribe(int k, String id) implements Step {
      public void apply(RoomHarness h, List<RoomHarness.Client> clients) {
        to(clients, k, c -> () -> c.send(Frames.unsubscribe(0, id)));
      }
    }

    record Follow(int k, String user, boolean follow) implements Step {
      public void apply(RoomHarness h, List<RoomHarness.Client> clients) {
        to(clients, k, c -> () -> c.send(follow ? Frames.follow(7, user) : Frames.unfollow(8, user)));
      }
    }

    record Update(int k, int x) implements Step {
      public void apply(RoomHarness h, List<RoomHarness.Client> clients) {
        to(clients, k, c -> () -> c.send(Frames.update(x)));
      }
    }

    record Clear(int k) implements Step {
      public void apply(RoomHarness h, List<RoomHarness.Client> clients) {
        to(clients, k, c -> () -> c.send(Frames.clear()));
      }
    }

    record Advance(long millis) implements Step {
      public void apply(RoomHarness h, List<RoomHarness.Client> clients) {
        h.time.advance(millis);
        h.time.runDue();
      }
    }

    record Ready(int k, boolean ready) implements Step {
      public void apply(RoomHarness h, List<RoomHarness.Client> clients) {
        to(clients, k, c -> () -> {
          if (ready) {
            c.becomeReady();
          } else {
            c.call.ready = false;
          }
        });
      }
    }

    record End(int k, SessionEnd how) implements Step {
      public void apply(RoomHarness h, List<RoomHarness.Client> clients) {
        to(clients, k, c -> () -> c.end(how));
      }
    }
  }
}
