package dev.presence.server.room;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.server.session.Subscriptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a conforming client holds per subscription after applying what one session received: live events
 * to every subscription whose confirmed target covers the user (PRS-EVT-3), tagged events to the ones they
 * name (PRS-EVT-4), nulls only where a state is held (PRS-EVT-8). Nulls with nothing to clear are recorded,
 * so a test can show the server sent none (PRS-EVT-5, PRS-SUB-12).
 */
final class ClientModel {
  private final Map<String, SyncTarget> requested = new HashMap<>();
  private final Map<String, SyncTarget> confirmed = new LinkedHashMap<>();
  private final Map<String, Map<String, Struct>> held = new HashMap<>();
  private final Set<String> follows = new HashSet<>();
  private int applied;
  final List<String> uselessNulls = new ArrayList<>();
  final Map<String, Integer> nullsApplied = new HashMap<>();

  void subscribing(String subscriptionId, SyncTarget target) {
    requested.put(subscriptionId, target);
  }

  void unsubscribed(String subscriptionId) {
    confirmed.remove(subscriptionId);
  }

  void followed(String userId) {
    follows.add(userId);
  }

  /** Applies the frames the call received since the last call. */
  void catchUp(FakeCall call) {
    for (; applied < call.sent.size(); applied++) {
      apply(call.sent.get(applied).frame());
    }
  }

  private void apply(ConnectResponse frame) {
    if (frame.hasSnapshotComplete()) {
      String id = frame.getSnapshotComplete().getSubscriptionId();
      confirmed.put(id, requested.get(id));
    }
    if (!frame.hasPresence()) {
      return;
    }
    for (PresenceEvent e : frame.getPresence().getEventsList()) {
      List<String> targets = e.getSubscriptionIdsCount() > 0 ? e.getSubscriptionIdsList()
          : confirmed.keySet().stream()
              .filter(id -> Subscriptions.covers(confirmed.get(id), follows, e.getUserId())).toList();
      boolean cleared = false;
      for (String id : targets) {
        Map<String, Struct> holding = held.computeIfAbsent(id, k -> new HashMap<>());
        if (e.hasState()) {
          holding.put(e.getUserId(), e.getState());
        } else if (holding.remove(e.getUserId()) != null) {
          cleared = true;
          nullsApplied.merge(id + "/" + e.getUserId(), 1, Integer::sum);
        }
      }
      if (!e.hasState() && !cleared) {
        uselessNulls.add(e.getUserId() + " " + e.getSubscriptionIdsList());
      }
    }
  }

  /** @param subscriptionId a subscription @return what it holds, by user */
  Map<String, Struct> holding(String subscriptionId) {
    return held.getOrDefault(subscriptionId, Map.of());
  }
}
