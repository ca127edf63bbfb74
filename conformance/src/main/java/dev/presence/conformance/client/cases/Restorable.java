package dev.presence.conformance.client.cases;

import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Subscribe;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an SDK must restore on a new session (PRS-RCN-2, PRS-RCN-8): its latest state, its confirmed follows, and its
 * subscriptions, here a sync of {@code '*'} named "all" and one of {@code 'following'} named "fol".
 *
 * @param latest the label of the state the application set last
 * @param follows the users whose follow was acknowledged
 * @param subscribes the subscribes the SDK sent for the two syncs, with the ids it chose
 */
record Restorable(String latest, List<String> follows, List<Subscribe> subscribes) {

  /**
   * Sets the state twice, follows the users, syncs "all" and "fol", and waits until the old session has all of it.
   *
   * @param followed users the kit plays, each with a state, so that both snapshots show them
   */
  static Restorable setUp(ClientProbe p, KitCall call, String... followed) throws InterruptedException {
    p.update(p.state("mine-1"));
    p.update(p.state("mine-2"));
    for (String u : followed) {
      Result r = p.follow(u);
      if (r.hasFailure()) {
        throw p.failure("follow " + u + " failed: " + r.getFailure().getMessage());
      }
    }
    int start = p.mark();
    p.syncAll("all");
    p.syncFollowing("fol");
    for (String u : followed) {
      p.awaitChange(start, "all", c -> c.getUserId().equals(u), "the snapshot's state of " + u + " on sync all");
      p.awaitChange(start, "fol", c -> c.getUserId().equals(u), "the snapshot's state of " + u + " on sync fol");
    }
    // Throttled or not, the latest state reaches the session within a window; the restore must re-send it.
    call.awaitInbound(in -> in.kind() == ConnectRequest.FrameCase.UPDATE_STATE
            && ClientProbe.label(in.frame().orElseThrow().getUpdateState().getState()).equals("mine-2"),
        p.timing().requestTimeout()).orElseThrow(() -> p.failure("the SDK never sent its latest state mine-2"));
    return new Restorable("mine-2", List.of(followed), CallFacts.subscribes(call));
  }

  /** Waits until the new session has a subscribe for every subscription, same id and target. */
  void awaitSubscribes(ClientProbe p, KitCall next) {
    for (Subscribe s : subscribes) {
      next.awaitInbound(in -> in.kind() == ConnectRequest.FrameCase.SUBSCRIBE
          && in.frame().orElseThrow().getSubscribe().equals(s), p.timing().requestTimeout())
          .orElseThrow(() -> p.failure("the new session got no subscribe for " + s.getSubscriptionId()
              + " with its target " + s.getTarget().getKindCase() + "; it got "
              + CallFacts.subscribes(next)));
    }
  }

  /** Fails unless the new session re-sent the latest state, the follows and the subscriptions. */
  void expectRestoredOn(ClientProbe p, KitCall next) {
    awaitSubscribes(p, next);
    boolean stateSent = next.inbound(ConnectRequest.FrameCase.UPDATE_STATE).stream().anyMatch(in ->
        ClientProbe.label(in.frame().orElseThrow().getUpdateState().getState()).equals(latest));
    if (!stateSent) {
      throw p.failure("the new session got no update_state with the latest state " + latest);
    }
    Set<String> restored = next.inbound(ConnectRequest.FrameCase.FOLLOW).stream()
        .map(in -> in.frame().orElseThrow().getFollow().getUserId()).collect(Collectors.toSet());
    if (!restored.containsAll(follows)) {
      throw p.failure("the new session got follows of " + restored + "; the SDK followed " + follows);
    }
  }
}
