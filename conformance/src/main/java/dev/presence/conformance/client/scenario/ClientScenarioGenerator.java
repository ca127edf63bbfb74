package dev.presence.conformance.client.scenario;

import dev.presence.conformance.property.Generator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates executable client scenarios from a seed: the application's calls mixed with what a small pool of other
 * users and the server do, so that events about one user collide with syncs, follows, reconnects and held
 * snapshots. The same seed always gives the same scenario.
 */
public final class ClientScenarioGenerator implements Generator<ClientScenario> {

  /** The users the kit plays; few, so that events about one user collide. */
  public static final List<String> USERS = List.of("u1", "u2", "u3");

  private static final int MIN_STEPS = 6;
  private static final int MAX_STEPS = 16;
  /** Each reconnect costs a backoff that doubles with the next, so a scenario has few. */
  private static final int MAX_RECONNECTS = 2;
  private static final int MAX_BURST_GAPS = 4;
  /** Gaps up to a bit more than the default window of 50 ms, so that bursts land on both sides of it. */
  private static final int MAX_GAP_MILLIS = 80;
  private static final int MAX_PAUSE_MILLIS = 50;

  private final boolean unsyncOne;

  /** A generator for an SDK that can end one sync at a time. */
  public ClientScenarioGenerator() {
    this(true);
  }

  /**
   * A generator of scenarios an SDK can run.
   *
   * @param unsyncOne whether the SDK can end one sync at a time; without, every unsync ends them all
   */
  public ClientScenarioGenerator(boolean unsyncOne) {
    this.unsyncOne = unsyncOne;
  }

  private enum Kind {
    UPDATE(20), CLEAR(4), SYNC(12), UNSYNC(5), FOLLOW(7), UNFOLLOW(4), GET_STATES(3), OTHER_SET(18),
    OTHER_CLEAR(5), OTHER_LEAVE(5), OTHER_JOIN(4), PING(3), UNKNOWN_FRAME(2), HOLD(3), RELEASE(3), RESET(3),
    RESTART(2), PAUSE(5);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  private static final int TOTAL_WEIGHT = java.util.Arrays.stream(Kind.values()).mapToInt(k -> k.weight).sum();

  @Override
  public ClientScenario generate(SplittableRandom random) {
    State s = new State(random, unsyncOne);
    int length = random.nextInt(MIN_STEPS, MAX_STEPS + 1);
    if (random.nextInt(10) < 7) {
      s.add(Kind.SYNC);
    }
    while (s.steps.size() < length) {
      s.add(pick(random));
    }
    return new ClientScenario(s.steps);
  }

  private static Kind pick(SplittableRandom random) {
    int roll = random.nextInt(TOTAL_WEIGHT);
    for (Kind k : Kind.values()) {
      roll -= k.weight;
      if (roll < 0) {
        return k;
      }
    }
    throw new IllegalStateException("weights do not add up");
  }

  /** What the generator has produced so far, so that every step it adds can execute. */
  private static final class State {
    final SplittableRandom random;
    final boolean unsyncOne;
    final List<ClientStep> steps = new ArrayList<>();
    final Set<String> liveSyncs = new LinkedHashSet<>();
    final Set<String> followed = new LinkedHashSet<>();
    int syncs;
    int labels;
    int reconnects;

    State(SplittableRandom random, boolean unsyncOne) {
      this.random = random;
      this.unsyncOne = unsyncOne;
    }

    void add(Kind kind) {
      switch (kind) {
        case UPDATE -> steps.add(new ClientStep.Update("a" + ++labels, gaps()));
        case CLEAR -> steps.add(new ClientStep.Clear());
        case SYNC -> {
          String name = "s" + ++syncs;
          liveSyncs.add(name);
          int t = random.nextInt(USERS.size() + 2);
          steps.add(new ClientStep.Sync(name, t == 0 ? ClientStep.ALL : t == 1 ? ClientStep.FOLLOWING
              : USERS.get(t - 2)));
        }
        case UNSYNC -> {
          if (liveSyncs.isEmpty()) {
            return;
          }
          if (!unsyncOne || random.nextInt(4) == 0) {
            liveSyncs.clear();
            steps.add(new ClientStep.Unsync(""));
          } else {
            String name = any(liveSyncs);
            liveSyncs.remove(name);
            steps.add(new ClientStep.Unsync(name));
          }
        }
        case FOLLOW -> {
          String user = user();
          if (followed.add(user)) {
            steps.add(new ClientStep.Follow(user));
          }
        }
        case UNFOLLOW -> {
          if (!followed.isEmpty()) {
            String user = any(followed);
            followed.remove(user);
            steps.add(new ClientStep.Unfollow(user));
          }
        }
        case GET_STATES -> steps.add(new ClientStep.GetStates());
        case OTHER_SET -> steps.add(new ClientStep.OtherSet(user(), "o" + ++labels));
        case OTHER_CLEAR -> steps.add(new ClientStep.OtherClear(user()));
        case OTHER_LEAVE -> steps.add(new ClientStep.OtherLeave(user(), random.nextBoolean()));
        case OTHER_JOIN -> steps.add(new ClientStep.OtherJoin(user()));
        case PING -> steps.add(new ClientStep.Ping());
        case UNKNOWN_FRAME -> steps.add(new ClientStep.UnknownFrame());
        case HOLD -> steps.add(new ClientStep.HoldSnapshots());
        case RELEASE -> steps.add(new ClientStep.ReleaseSnapshots());
        case RESET, RESTART -> {
          if (reconnects < MAX_RECONNECTS) {
            reconnects++;
            steps.add(kind == Kind.RESET ? new ClientStep.Reset() : new ClientStep.Restart());
          }
        }
        case PAUSE -> steps.add(new ClientStep.Pause(random.nextInt(1, MAX_PAUSE_MILLIS + 1)));
        default -> throw new IllegalStateException(kind.name());
      }
    }

    List<Integer> gaps() {
      int n = random.nextInt(MAX_BURST_GAPS + 1);
      List<Integer> gaps = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        gaps.add(random.nextInt(MAX_GAP_MILLIS + 1));
      }
      return gaps;
    }

    String user() {
      return USERS.get(random.nextInt(USERS.size()));
    }

    String any(Set<String> set) {
      return new ArrayList<>(set).get(random.nextInt(set.size()));
    }
  }
}
