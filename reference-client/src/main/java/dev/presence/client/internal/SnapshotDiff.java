package dev.presence.client.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The reconnect comparison of PRS-RCN-2 for one subscription. Across a reconnect the listener keeps what it
 * held; the new snapshot's states are applied as they arrive (the router reports only those that differ), and
 * when the snapshot completes, the users the listener held but the snapshot never mentioned are the ones that
 * went away during the outage and are owed a null.
 *
 * <p>Confined to the client lock.
 */
final class SnapshotDiff {
  private boolean running;
  private final Set<String> seen = new HashSet<>();

  /** A new snapshot for the subscription is on its way. */
  void start() {
    running = true;
    seen.clear();
  }

  boolean isRunning() {
    return running;
  }

  /** The snapshot mentioned this user; ignored when no diff is running. */
  void saw(String userId) {
    if (running) {
      seen.add(userId);
    }
  }

  /**
   * Ends the comparison.
   *
   * @param held the users the listener holds a state for now
   * @return those of them the snapshot did not mention; empty when no comparison was running
   */
  List<String> finish(Collection<String> held) {
    if (!running) {
      return List.of();
    }
    running = false;
    List<String> gone = new ArrayList<>();
    for (String userId : held) {
      if (!seen.contains(userId)) {
        gone.add(userId);
      }
    }
    seen.clear();
    return gone;
  }
}
