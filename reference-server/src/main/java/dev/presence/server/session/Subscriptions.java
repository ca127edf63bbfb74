package dev.presence.server.session;

import dev.presence.protocol.v1.SyncTarget;
import dev.presence.server.fanout.Scope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A session's subscriptions and follow set; together they are its union scope (PRS-TGT-*, PRS-FOL-*). */
public final class Subscriptions implements Scope {
  private static final int FEW_SUBSCRIPTIONS = 4;
  /**
   * Sized for the usual one or two subscriptions: a session holds this for its whole life, so the default
   * 16-slot table would cost every idle session bytes it never uses.
   */
  private final Map<String, SyncTarget> byId = new LinkedHashMap<>(FEW_SUBSCRIPTIONS);
  /** Most sessions never follow anyone, so the set is made by the first follow. */
  private Set<String> follows = Collections.emptySet();
  /** Subscriptions to {@code all_users}: while there is one, every user is covered without a lookup. */
  private int allUsersSubscriptions;

  /**
   * @param target a subscription target
   * @param follows the follow set it is evaluated against
   * @param userId a user
   * @return whether the target names the user
   */
  public static boolean covers(SyncTarget target, Set<String> follows, String userId) {
    switch (target.getKindCase()) {
      case ALL_USERS:
        return true;
      case FOLLOWED_USERS:
        return follows.contains(userId);
      case USER_ID:
        return target.getUserId().equals(userId);
      default:
        return false;
    }
  }

  /** @param target a target @param userId a user @return whether the target names the user now */
  public boolean covers(SyncTarget target, String userId) {
    return covers(target, follows, userId);
  }

  @Override
  public boolean coversEveryone() {
    return allUsersSubscriptions > 0;
  }

  @Override
  public boolean covers(String userId) {
    if (allUsersSubscriptions > 0) {
      return true;
    }
    for (SyncTarget t : byId.values()) {
      if (covers(t, follows, userId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param userId a user
   * @param named subscriptions a tagged event names
   * @return whether a subscription not in {@code named} covers the user
   */
  public boolean coveredOutside(String userId, java.util.Collection<String> named) {
    for (Map.Entry<String, SyncTarget> e : byId.entrySet()) {
      if (!named.contains(e.getKey()) && covers(e.getValue(), follows, userId)) {
        return true;
      }
    }
    return false;
  }

  /** @param id a subscription id @return its target or null */
  public SyncTarget get(String id) {
    return byId.get(id);
  }

  /** @return how many subscriptions the session holds */
  public int size() {
    return byId.size();
  }

  /** @param id subscription id @param target its new target @return the previous target or null */
  public SyncTarget put(String id, SyncTarget target) {
    SyncTarget previous = byId.put(id, target);
    countAllUsers(previous, -1);
    countAllUsers(target, 1);
    return previous;
  }

  /** @param id subscription id @return the removed target or null */
  public SyncTarget remove(String id) {
    SyncTarget removed = byId.remove(id);
    countAllUsers(removed, -1);
    return removed;
  }

  private void countAllUsers(SyncTarget target, int delta) {
    if (target != null && target.getKindCase() == SyncTarget.KindCase.ALL_USERS) {
      allUsersSubscriptions += delta;
    }
  }

  /** @return the ids of the {@code followed_users} subscriptions, in creation order */
  public List<String> followedSubscriptionIds() {
    List<String> ids = new ArrayList<>();
    byId.forEach((id, t) -> {
      if (t.getKindCase() == SyncTarget.KindCase.FOLLOWED_USERS) {
        ids.add(id);
      }
    });
    return ids;
  }

  /** @param userId a user @return whether the session follows the user */
  public boolean follows(String userId) {
    return follows.contains(userId);
  }

  /** @return how many users the session follows */
  public int followCount() {
    return follows.size();
  }

  /** @param userId user to follow @return whether it was newly added */
  public boolean follow(String userId) {
    if (follows.isEmpty()) {
      follows = new LinkedHashSet<>();
    }
    return follows.add(userId);
  }

  /** @param userId user to unfollow @return whether it was followed */
  public boolean unfollow(String userId) {
    return follows.remove(userId);
  }
}
