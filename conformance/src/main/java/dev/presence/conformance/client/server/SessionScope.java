package dev.presence.conformance.client.server;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.SyncTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the server keeps for one session: its subscriptions, follow set and views (SPEC §1.2). Guarded by the room
 * lock.
 */
final class SessionScope {
  final Map<String, SyncTarget> subscriptions = new LinkedHashMap<>();
  final Set<String> follows = new LinkedHashSet<>();
  /** The view of this session on each user whose view is non-null. */
  final Map<String, Struct> views = new HashMap<>();

  /** Whether the target covers the user (PRS-TGT-1 to PRS-TGT-3); only members are in any scope. */
  boolean covers(SyncTarget target, String user, boolean member) {
    if (!member) {
      return false;
    }
    switch (target.getKindCase()) {
      case ALL_USERS:
        return true;
      case USER_ID:
        return target.getUserId().equals(user);
      case FOLLOWED_USERS:
        return follows.contains(user);
      default:
        return false;
    }
  }

  /**
   * Whether any subscription covers the user, including subscriptions whose snapshot_complete is not sent yet:
   * live routing is by the session's union scope (PRS-EVT-3, PRS-TGT-4), the client sorts out the rest.
   */
  boolean unionCovers(String user, boolean member) {
    for (SyncTarget t : subscriptions.values()) {
      if (covers(t, user, member)) {
        return true;
      }
    }
    return false;
  }

  /** The ids of the subscriptions whose target is followed_users, in subscription order. */
  List<String> followedSubscriptions() {
    List<String> ids = new ArrayList<>();
    subscriptions.forEach((id, t) -> {
      if (t.getKindCase() == SyncTarget.KindCase.FOLLOWED_USERS) {
        ids.add(id);
      }
    });
    return ids;
  }
}
