package dev.presence.client.internal;

import dev.presence.client.NullReason;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceException;
import dev.presence.client.PresenceListener;
import dev.presence.client.State;
import dev.presence.client.SyncTarget;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.ProtocolError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers presence events to the subscriptions they are for, and keeps each listener's view consistent.
 *
 * <ul>
 *   <li>A tagged event goes to exactly the named subscriptions this client still holds (PRS-EVT-4).
 *   <li>A live event goes to every subscription whose <em>confirmed</em> target covers the user: the target whose
 *       {@code snapshot_complete} arrived, and for {@code following}, the follows the server acknowledged
 *       (PRS-EVT-3). Because the server applies frames in order, this is exact.
 *   <li>A null reaches a listener only if it holds a state for that user, so no listener sees a null for a user
 *       it never saw, nor two in a row (PRS-EVT-8); a state equal to the one held is not reported again.
 *   <li>After a reconnect each subscription's new snapshot is compared with what its listener held
 *       ({@link SnapshotDiff}).
 * </ul>
 *
 * <p>It also keeps the cache behind {@code getStates()}: the latest state of every user some subscription holds.
 * Confined to the client lock; listener calls go through the {@link CallbackDispatcher}.
 */
final class SubscriptionRouter {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionRouter.class);

  /** One subscription as the router tracks it. */
  static final class Route {
    final String id;
    final SyncTarget target;
    final PresenceListener listener;
    // What the listener was last told, per user; only non-null states are kept.
    final Map<String, State> held = new HashMap<>();
    final SnapshotDiff diff = new SnapshotDiff();
    // Read without the lock by Subscription.isActive() and by queued deliveries.
    volatile boolean active = true;
    boolean confirmed;
    long subscribeRequestId;

    Route(String id, SyncTarget target, PresenceListener listener) {
      this.id = id;
      this.target = target;
      this.listener = listener;
    }
  }

  private final CallbackDispatcher dispatcher;
  private final RequestIds requestIds;
  private final Predicate<String> followConfirmed;
  private final Map<String, Route> routes = new LinkedHashMap<>();
  private final Map<String, State> latest = new HashMap<>();
  private long nextNumber = 1;

  /**
   * Creates a router.
   *
   * @param followConfirmed whether the server acknowledged a follow of the user
   */
  SubscriptionRouter(CallbackDispatcher dispatcher, RequestIds requestIds, Predicate<String> followConfirmed) {
    this.dispatcher = dispatcher;
    this.requestIds = requestIds;
    this.followConfirmed = followConfirmed;
  }

  /**
   * Adds a subscription and subscribes on the open session, if any; otherwise it subscribes when one opens.
   *
   * @param session the open session, or null
   */
  Route add(SyncTarget target, PresenceListener listener, SessionCall session) {
    Route route = new Route(nextId(), target, listener);
    routes.put(route.id, route);
    if (session != null) {
      subscribe(session, route);
    }
    return route;
  }

  /** A subscription that was never active, for a {@code sync} on a stopped client. */
  Route inactive(SyncTarget target, PresenceListener listener) {
    Route route = new Route(nextId(), target, listener);
    route.active = false;
    return route;
  }

  private String nextId() {
    return "s" + nextNumber++;
  }

  private void subscribe(SessionCall session, Route route) {
    route.subscribeRequestId = requestIds.next();
    session.send(Frames.subscribe(route.subscribeRequestId, route.id, route.target));
  }

  /**
   * Ends a subscription at once; the server's {@code OUT_OF_SCOPE} nulls for it are then ignored.
   *
   * @param session the open session to unsubscribe on, or null
   */
  void remove(Route route, SessionCall session) {
    if (!route.active) {
      return;
    }
    route.active = false;
    routes.remove(route.id);
    if (session != null) {
      session.send(Frames.unsubscribe(route.id));
    }
    for (String user : route.held.keySet()) {
      pruneLatest(user);
    }
  }

  void removeAll(SessionCall session) {
    for (Route route : new ArrayList<>(routes.values())) {
      remove(route, session);
    }
  }

  /** The client stopped: every subscription ends without telling the server. */
  void stopAll() {
    for (Route route : routes.values()) {
      route.active = false;
    }
    routes.clear();
  }

  /** A new session opened: subscribe again, keeping what each listener holds for the comparison. */
  void resubscribeAll(SessionCall session) {
    for (Route route : routes.values()) {
      route.confirmed = false;
      route.diff.start();
      subscribe(session, route);
    }
  }

  void onEvent(PresenceEvent e) {
    String user = e.getUserId();
    State state = e.hasState() ? State.of(e.getState()) : null;
    NullReason reason = state == null ? Frames.toReason(e.getNullReason()) : null;
    if (e.getSubscriptionIdsCount() > 0) {
      for (String id : e.getSubscriptionIdsList()) {
        Route route = routes.get(id);
        if (route != null && route.active) {
          route.diff.saw(user);
          apply(route, user, state, reason);
        }
      }
    } else {
      for (Route route : routes.values()) {
        if (route.active && route.confirmed && covers(route.target, user)) {
          apply(route, user, state, reason);
        }
      }
    }
    if (state != null && heldByAny(user)) {
      latest.put(user, state);
    } else if (state == null) {
      pruneLatest(user);
    }
  }

  private boolean covers(SyncTarget target, String user) {
    return switch (target.kind()) {
      case ALL -> true;
      case FOLLOWING -> followConfirmed.test(user);
      case USER -> target.userId().equals(user);
    };
  }

  private void apply(Route route, String user, State state, NullReason reason) {
    PresenceChange change;
    if (state != null) {
      if (state.equals(route.held.put(user, state))) {
        // The listener already shows this, e.g. the same state in a snapshot after a reconnect.
        return;
      }
      change = new PresenceChange(user, state, null);
    } else {
      if (route.held.remove(user) == null) {
        return;
      }
      change = new PresenceChange(user, null, reason);
    }
    dispatcher.post(() -> {
      if (route.active) {
        route.listener.onChange(change);
      }
    });
  }

  /**
   * Confirms a subscription's target and settles its reconnect comparison.
   *
   * @param isMember whether a user is still in the room, to tell a clear from a leave for users that vanished
   */
  void onSnapshotComplete(String subscriptionId, long requestId, Predicate<String> isMember) {
    Route route = routes.get(subscriptionId);
    if (route == null || !route.active) {
      return;
    }
    if (requestId != 0 && requestId != route.subscribeRequestId) {
      // The marker of an earlier subscribe for this id; the current target is not confirmed yet.
      return;
    }
    route.confirmed = true;
    for (String user : route.diff.finish(new ArrayList<>(route.held.keySet()))) {
      apply(route, user, null, isMember.test(user) ? NullReason.CLEARED : NullReason.LEFT);
      pruneLatest(user);
    }
  }

  /**
   * Ends the subscription a protocol error refused, if it names one, and tells its listener.
   *
   * @return false if the error is not about a subscription this router holds unconfirmed
   */
  boolean onRefused(ProtocolError error, PresenceException reason) {
    Route refused = null;
    for (Route route : routes.values()) {
      boolean byRequest = error.getRequestId() != 0 && error.getRequestId() == route.subscribeRequestId;
      boolean byId = !error.getSubscriptionId().isEmpty() && error.getSubscriptionId().equals(route.id)
          && !route.confirmed;
      if (byRequest || byId) {
        refused = route;
        break;
      }
    }
    if (refused == null) {
      return false;
    }
    Route route = refused;
    log.warn("subscription {} refused: {}", route.id, reason.reason());
    route.active = false;
    routes.remove(route.id);
    for (String user : new ArrayList<>(route.held.keySet())) {
      pruneLatest(user);
    }
    dispatcher.post(() -> route.listener.onError(reason));
    return true;
  }

  State latest(String userId) {
    return latest.get(userId);
  }

  Map<String, State> latestStates() {
    return Map.copyOf(latest);
  }

  private boolean heldByAny(String user) {
    for (Route route : routes.values()) {
      if (route.active && route.held.containsKey(user)) {
        return true;
      }
    }
    return false;
  }

  private void pruneLatest(String user) {
    if (!heldByAny(user)) {
      latest.remove(user);
    }
  }
}
