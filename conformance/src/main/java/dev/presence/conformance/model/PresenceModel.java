package dev.presence.conformance.model;

import com.google.protobuf.Struct;
import dev.presence.conformance.scenario.ScenarioStates;
import dev.presence.conformance.scenario.Step;
import dev.presence.conformance.scenario.TargetSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The executable model of SPEC.md used as the oracle: from the steps of a scenario, in order, it derives what every
 * session's subscriptions must hold once the effects of a step have settled. It speaks scenario names throughout
 * (users {@code u1}, sessions {@code s1}, rooms {@code r1}).
 *
 * <p>It encodes PRS-SES-2 (a user's presence is the most recently set non-null state among their live sessions),
 * PRS-STA-1 and PRS-STA-4 (replace and clear), section 8.1 (targets), PRS-SUB-3 (only non-null presence is held)
 * and the departed users of SPEC.md section 1.2: a user whose last session ended stays in the scope of the
 * subscriptions that covered them then, until S's own retarget, unsubscribe or unfollow takes it away
 * (PRS-SUB-12) or the user returns. Whether a null is still owed depends on deliveries, which checkers see and the
 * model does not.
 */
public final class PresenceModel {

  private final Map<String, ModelSession> sessions = new LinkedHashMap<>();
  private long updateSequence;

  /**
   * Applies one step; the step must be executable (see {@link dev.presence.conformance.scenario.Scenario}).
   *
   * @param stepIndex the step's index in its scenario, which fixes the states an update sends
   * @param step the step
   */
  public void apply(int stepIndex, Step step) {
    if (step instanceof Step.Join join) {
      sessions.values().stream().filter(other -> other.room.equals(join.room()))
          .forEach(other -> other.departed.remove(join.user()));
      sessions.put(join.session(), new ModelSession(join.user(), join.room()));
      return;
    }
    ModelSession s = sessions.get(step.session());
    s.forgetDeparted(step);
    if (step instanceof Step.Update update) {
      s.state = ScenarioStates.of(update.session(), stepIndex, update.count() - 1);
      s.stateSequence = ++updateSequence;
    } else if (step instanceof Step.Clear) {
      s.state = null;
    } else if (step instanceof Step.Subscribe sub) {
      s.subscriptions.put(sub.subscriptionId(), sub.target());
    } else if (step instanceof Step.Unsubscribe unsub) {
      s.subscriptions.remove(unsub.subscriptionId());
    } else if (step instanceof Step.Follow follow) {
      s.follows.add(follow.user());
    } else if (step instanceof Step.Unfollow unfollow) {
      s.follows.remove(unfollow.user());
    } else if (step instanceof Step.End) {
      s.live = false;
      if (liveSessions(s.user, s.room) == 0) {
        recordDeparture(s.user, s.room);
      }
    }
  }

  private void recordDeparture(String user, String room) {
    for (ModelSession watcher : sessions.values()) {
      if (!watcher.live || !watcher.room.equals(room)) {
        continue;
      }
      Set<String> covering = new HashSet<>();
      watcher.subscriptions.forEach((id, target) -> {
        if (covers(target, user, watcher.follows)) {
          covering.add(id);
        }
      });
      if (!covering.isEmpty()) {
        watcher.departed.put(user, covering);
      }
    }
  }

  /** Returns whether the session is open. */
  public boolean live(String session) {
    ModelSession s = sessions.get(session);
    return s != null && s.live;
  }

  /** Returns the user a session acts for. */
  public String userOf(String session) {
    return sessions.get(session).user;
  }

  /** Returns the room of a session. */
  public String roomOf(String session) {
    return sessions.get(session).room;
  }

  /** Returns the users with at least one live session in the room. */
  public Set<String> present(String room) {
    Set<String> users = new HashSet<>();
    sessions.values().stream().filter(s -> s.live && s.room.equals(room)).forEach(s -> users.add(s.user));
    return users;
  }

  /** Returns the number of live sessions the user has in the room. */
  public long liveSessions(String user, String room) {
    return sessions.values().stream().filter(s -> s.live && s.room.equals(room) && s.user.equals(user)).count();
  }

  /**
   * Returns the presence of a user in a room (PRS-SES-2), or null.
   *
   * @param user the user
   * @param room the room
   * @return the most recently set non-null state among the user's live sessions there
   */
  public Struct presence(String user, String room) {
    ModelSession latest = null;
    for (ModelSession s : sessions.values()) {
      if (s.live && s.room.equals(room) && s.user.equals(user) && s.state != null
          && (latest == null || s.stateSequence > latest.stateSequence)) {
        latest = s;
      }
    }
    return latest == null ? null : latest.state;
  }

  /**
   * Returns what each subscription of a live session must hold once settled: by subscription id, the non-null
   * presence of every user in its scope.
   *
   * @param session the session
   * @return subscription id to (user to state), in a stable order
   */
  public Map<String, Map<String, Struct>> expectedViews(String session) {
    ModelSession s = sessions.get(session);
    Set<String> present = present(s.room);
    Map<String, Map<String, Struct>> views = new TreeMap<>();
    s.subscriptions.forEach(
        (id, target) -> {
          Map<String, Struct> states = new TreeMap<>();
          for (String user : present) {
            Struct presence = presence(user, s.room);
            if (presence != null && covers(target, user, s.follows)) {
              states.put(user, presence);
            }
          }
          views.put(id, states);
        });
    return views;
  }

  /**
   * Returns the users in the union of a session's subscription scopes (server-side follows).
   *
   * @param session the session
   * @return the union scope; empty for a session that is not live
   */
  public Set<String> unionScope(String session) {
    ModelSession s = sessions.get(session);
    Set<String> scope = new HashSet<>();
    if (s == null || !s.live) {
      return scope;
    }
    for (String user : present(s.room)) {
      for (TargetSpec target : s.subscriptions.values()) {
        if (covers(target, user, s.follows)) {
          scope.add(user);
        }
      }
    }
    return scope;
  }

  /**
   * Returns the departed users still in a session's scope (SPEC.md section 1.2): users whose last session ended
   * while a subscription of the session covered them, and whom no later step of the session took out of scope.
   *
   * @param session the session
   * @return the departed users; empty for a session that is not live
   */
  public Set<String> departedInScope(String session) {
    ModelSession s = sessions.get(session);
    return s == null || !s.live ? Set.of() : Set.copyOf(s.departed.keySet());
  }

  /** Returns the scenario names of every session the model knows, live or ended. */
  public Set<String> sessions() {
    return sessions.keySet();
  }

  private static boolean covers(TargetSpec target, String user, Set<String> follows) {
    return switch (target.kind()) {
      case ALL -> true;
      case FOLLOWING -> follows.contains(user);
      case USER -> target.user().equals(user);
    };
  }

  private static final class ModelSession {
    final String user;
    final String room;
    final Map<String, TargetSpec> subscriptions = new LinkedHashMap<>();
    final Set<String> follows = new HashSet<>();
    /** Departed user to the subscriptions that covered them when they left. */
    final Map<String, Set<String>> departed = new HashMap<>();
    boolean live = true;
    Struct state;
    long stateSequence;

    ModelSession(String user, String room) {
      this.user = user;
      this.room = room;
    }

    /**
     * A retarget or unsubscribe takes a departed user out of that subscription's scope, an unfollow out of every
     * {@code followed_users} subscription's (PRS-SUB-12, PRS-FOL-4); a departed user no subscription covers is
     * out of scope.
     */
    void forgetDeparted(Step step) {
      if (step instanceof Step.Subscribe sub) {
        departed.values().forEach(ids -> ids.remove(sub.subscriptionId()));
      } else if (step instanceof Step.Unsubscribe unsub) {
        departed.values().forEach(ids -> ids.remove(unsub.subscriptionId()));
      } else if (step instanceof Step.Unfollow unfollow && departed.containsKey(unfollow.user())) {
        departed.get(unfollow.user()).removeIf(id -> subscriptions.get(id).kind() == TargetSpec.Kind.FOLLOWING);
      }
      departed.values().removeIf(Set::isEmpty);
    }
  }
}
