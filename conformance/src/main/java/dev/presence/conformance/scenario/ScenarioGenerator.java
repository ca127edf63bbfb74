package dev.presence.conformance.scenario;

import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.property.Generator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates random executable scenarios: several users, some with several sessions, in one or more rooms; bursts
 * of updates with gaps both shorter and longer than the throttle window; subscriptions, target changes,
 * unsubscriptions, follows and unfollows; sessions ending in each allowed way, and users rejoining. Every second
 * session declares {@code CAPABILITY_PING}, so that a server's pings meet sessions that asked for them and sessions
 * that did not.
 */
public final class ScenarioGenerator implements Generator<Scenario> {

  private final int users;
  private final int rooms;
  private final int maxSteps;
  private final int throttleWindowMillis;
  private final List<EndKind> endKinds;

  private ScenarioGenerator(Builder b) {
    this.users = b.users;
    this.rooms = b.rooms;
    this.maxSteps = b.maxSteps;
    this.throttleWindowMillis = b.throttleWindowMillis;
    this.endKinds = List.copyOf(b.endKinds);
  }

  /** Starts a generator description with defaults: 4 users, 2 rooms, up to 30 steps, a 50 ms window. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Scenario generate(SplittableRandom random) {
    State state = new State();
    List<Step> steps = new ArrayList<>();
    int firstJoins = 2 + random.nextInt(2);
    for (int i = 0; i < firstJoins; i++) {
      boolean secondRoom = i == 2 && rooms > 1;
      steps.add(secondRoom ? join(random, state, false) : join(random, state, true));
    }
    int total = firstJoins + random.nextInt(maxSteps - firstJoins + 1);
    while (steps.size() < total) {
      if (state.open.size() >= 2 && random.nextInt(4) == 0) {
        steps.addAll(motif(random, state));
      } else {
        steps.add(next(random, state));
      }
    }
    return Scenario.repaired(steps.subList(0, Math.min(steps.size(), maxSteps)));
  }

  /**
   * A short sequence with a purpose, so that interactions random steps rarely line up (follow a user who has state,
   * then unfollow; watch a user who then leaves or clears; retarget so that users leave, enter and stay in scope at
   * once) occur in most scenarios.
   */
  private List<Step> motif(SplittableRandom random, State state) {
    String watcher = state.open.get(random.nextInt(state.open.size()));
    List<String> others = state.open.stream()
        .filter(o -> !o.equals(watcher) && state.rooms.get(o).equals(state.rooms.get(watcher))).toList();
    if (others.isEmpty()) {
      return List.of(next(random, state));
    }
    String other = others.get(random.nextInt(others.size()));
    String otherUser = state.users.get(other);
    List<Step> motif = new ArrayList<>();
    switch (random.nextInt(5)) {
      case 0 -> {
        motif.add(subscribeNew(state, watcher, TargetSpec.following()));
        motif.add(new Step.Follow(watcher, otherUser));
        motif.add(update(random, other));
        motif.add(new Step.Unfollow(watcher, otherUser));
      }
      case 1 -> {
        motif.add(subscribeNew(state, watcher, TargetSpec.all()));
        motif.add(update(random, other));
        motif.add(end(random, state, other));
      }
      case 2 -> {
        motif.add(subscribeNew(state, watcher, TargetSpec.user(otherUser)));
        motif.add(update(random, other));
        motif.add(new Step.Clear(other));
      }
      case 3 -> {
        motif.add(subscribeNew(state, watcher, TargetSpec.following()));
        motif.add(update(random, other));
        motif.add(new Step.Follow(watcher, otherUser));
        motif.add(new Step.Unfollow(watcher, otherUser));
      }
      default -> motif.addAll(retargets(random, state, watcher, other));
    }
    return motif;
  }

  /**
   * One subscription moved from another user to the watcher's own (one user leaves, one enters), then to everyone
   * (the watcher's user stays, the others enter), then ended.
   */
  private List<Step> retargets(SplittableRandom random, State state, String watcher, String other) {
    Step.Subscribe first = subscribeNew(state, watcher, TargetSpec.user(state.users.get(other)));
    String id = first.subscriptionId();
    state.subscriptions.get(watcher).remove(id);
    return List.of(first, update(random, other), update(random, watcher),
        new Step.Subscribe(watcher, id, TargetSpec.user(state.users.get(watcher))),
        new Step.Subscribe(watcher, id, TargetSpec.all()),
        new Step.Unsubscribe(watcher, id));
  }

  private Step.Subscribe subscribeNew(State state, String session, TargetSpec target) {
    String id = "sub" + (++state.subscriptionIds);
    state.subscriptions.get(session).add(id);
    return new Step.Subscribe(session, id, target);
  }

  private Step next(SplittableRandom random, State state) {
    if (state.open.isEmpty()) {
      return join(random, state, false);
    }
    String session = state.open.get(random.nextInt(state.open.size()));
    int roll = random.nextInt(100);
    if (roll < 34) {
      return update(random, session);
    } else if (roll < 48) {
      return subscribe(random, state, session);
    } else if (roll < 58) {
      return join(random, state, false);
    } else if (roll < 67) {
      return end(random, state, session);
    } else if (roll < 76) {
      String user = user(random);
      state.follows.get(session).add(user);
      return new Step.Follow(session, user);
    } else if (roll < 82) {
      List<String> follows = state.follows.get(session);
      if (!follows.isEmpty() && random.nextInt(5) != 0) {
        return new Step.Unfollow(session, follows.remove(random.nextInt(follows.size())));
      }
      return new Step.Unfollow(session, user(random));
    } else if (roll < 88) {
      List<String> subs = state.subscriptions.get(session);
      if (!subs.isEmpty()) {
        return new Step.Unsubscribe(session, subs.remove(random.nextInt(subs.size())));
      }
      return update(random, session);
    } else {
      return new Step.Clear(session);
    }
  }

  private Step.Join join(SplittableRandom random, State state, boolean sameRoomAsFirst) {
    String session = "s" + (++state.sessions);
    String room = sameRoomAsFirst ? "r1" : "r" + (1 + random.nextInt(rooms));
    state.open.add(session);
    state.subscriptions.put(session, new ArrayList<>());
    state.follows.put(session, new ArrayList<>());
    String user = user(random);
    state.rooms.put(session, room);
    state.users.put(session, user);
    // Parity rather than a random draw keeps the scenarios of existing seeds as they were.
    return new Step.Join(session, user, room, state.sessions % 2 == 0);
  }

  private Step.Update update(SplittableRandom random, String session) {
    int count = 1 + random.nextInt(random.nextInt(4) == 0 ? 12 : 3);
    List<Integer> gaps = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      gaps.add(random.nextInt(2) == 0 ? random.nextInt(throttleWindowMillis / 2 + 1) : random.nextInt(2 * throttleWindowMillis + 1));
    }
    return new Step.Update(session, gaps);
  }

  private Step subscribe(SplittableRandom random, State state, String session) {
    List<String> subs = state.subscriptions.get(session);
    String id;
    if (!subs.isEmpty() && (subs.size() >= Scenario.MAX_SUBSCRIPTIONS_PER_SESSION || random.nextInt(3) == 0)) {
      id = subs.get(random.nextInt(subs.size()));
    } else {
      id = "sub" + (++state.subscriptionIds);
      subs.add(id);
    }
    TargetSpec target =
        switch (random.nextInt(4)) {
          case 0, 1 -> TargetSpec.all();
          case 2 -> TargetSpec.following();
          default -> TargetSpec.user(user(random));
        };
    return new Step.Subscribe(session, id, target);
  }

  private Step.End end(SplittableRandom random, State state, String session) {
    state.open.remove(session);
    return new Step.End(session, endKinds.get(random.nextInt(endKinds.size())));
  }

  private String user(SplittableRandom random) {
    return "u" + (1 + random.nextInt(users));
  }

  private static final class State {
    final List<String> open = new ArrayList<>();
    final Map<String, List<String>> subscriptions = new HashMap<>();
    final Map<String, List<String>> follows = new HashMap<>();
    final Map<String, String> rooms = new HashMap<>();
    final Map<String, String> users = new HashMap<>();
    int sessions;
    int subscriptionIds;
  }

  /** Describes a generator; validated by {@link #build()}. */
  public static final class Builder {
    private int users = 4;
    private int rooms = 2;
    private int maxSteps = 30;
    private int throttleWindowMillis = 50;
    private Set<EndKind> endKinds = Set.of(EndKind.LEAVE_FRAME, EndKind.HALF_CLOSE, EndKind.CANCEL);

    private Builder() {}

    /** Sets how many distinct users scenarios draw from. */
    public Builder users(int users) {
      this.users = users;
      return this;
    }

    /** Sets how many rooms scenarios spread over. */
    public Builder rooms(int rooms) {
      this.rooms = rooms;
      return this;
    }

    /** Sets the most steps a scenario has. */
    public Builder maxSteps(int maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    /** Sets the window that update gaps are drawn around. */
    public Builder throttleWindowMillis(int throttleWindowMillis) {
      this.throttleWindowMillis = throttleWindowMillis;
      return this;
    }

    /** Sets the ways sessions may end; network faults need the kit's proxy. */
    public Builder endKinds(Set<EndKind> endKinds) {
      this.endKinds = Set.copyOf(Objects.requireNonNull(endKinds, "endKinds"));
      return this;
    }

    /** Validates and builds. */
    public ScenarioGenerator build() {
      if (users < 1 || rooms < 1 || maxSteps < 4 || throttleWindowMillis < 1 || endKinds.isEmpty()) {
        throw new IllegalArgumentException(
            "need users >= 1, rooms >= 1, maxSteps >= 4, throttleWindowMillis >= 1 and an end kind");
      }
      return new ScenarioGenerator(this);
    }
  }
}
