package dev.presence.conformance.model;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.SyncTarget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one session's subscriptions hold, computed from the frames it sent and received exactly as SPEC.md
 * PRS-EVT-3, PRS-EVT-4 and PRS-EVT-8 tell a client to route them. This is the executable form of the client rules;
 * the kit uses it to see a server through a correct client's eyes.
 *
 * <p>Not thread-safe; feed it one session's frames in order.
 */
public final class SessionView {

  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private final Map<Long, FollowChange> pendingFollowChanges = new HashMap<>();
  private final Set<String> confirmedFollows = new HashSet<>();
  private final Set<String> members = new HashSet<>();
  private final List<Delivery> deliveries = new ArrayList<>();

  /** Applies a frame this session sent. */
  public void onSent(ConnectRequest frame) {
    switch (frame.getFrameCase()) {
      case SUBSCRIBE -> {
        String id = frame.getSubscribe().getSubscriptionId();
        subscriptions.computeIfAbsent(id, Subscription::new).pendingTargets.add(frame.getSubscribe().getTarget());
      }
      case UNSUBSCRIBE -> subscriptions.remove(frame.getUnsubscribe().getSubscriptionId());
      case FOLLOW ->
          pendingFollowChanges.put(frame.getRequestId(), new FollowChange(frame.getFollow().getUserId(), true));
      case UNFOLLOW ->
          pendingFollowChanges.put(
              frame.getRequestId(), new FollowChange(frame.getUnfollow().getUserId(), false));
      default -> {}
    }
  }

  /** Applies a frame this session received. */
  public void onReceived(ConnectResponse frame) {
    switch (frame.getFrameCase()) {
      case OPENED -> frame.getOpened().getMembersList().forEach(m -> members.add(m.getUserId()));
      case MEMBER_JOINED -> members.add(frame.getMemberJoined().getUser().getUserId());
      case MEMBER_LEFT -> members.remove(frame.getMemberLeft().getUserId());
      case SNAPSHOT_COMPLETE -> {
        Subscription s = subscriptions.get(frame.getSnapshotComplete().getSubscriptionId());
        if (s != null && !s.pendingTargets.isEmpty()) {
          s.confirmedTarget = s.pendingTargets.removeFirst();
        }
      }
      case ACK -> {
        FollowChange change = pendingFollowChanges.remove(frame.getAck().getRequestId());
        if (change != null && change.follow) {
          confirmedFollows.add(change.userId);
        } else if (change != null) {
          confirmedFollows.remove(change.userId);
        }
      }
      case ERROR -> {
        pendingFollowChanges.remove(frame.getError().getRequestId());
        Subscription s = subscriptions.get(frame.getError().getSubscriptionId());
        if (s != null && !s.pendingTargets.isEmpty()) {
          s.pendingTargets.removeFirst();
          if (s.confirmedTarget == null && s.pendingTargets.isEmpty()) {
            subscriptions.remove(s.id);
          }
        }
      }
      case PRESENCE -> frame.getPresence().getEventsList().forEach(this::route);
      default -> {}
    }
  }

  /** Returns every callback an application would have seen so far, in order. */
  public List<Delivery> deliveries() {
    return Collections.unmodifiableList(deliveries);
  }

  /** Returns, per live subscription, the non-null states it holds by user. */
  public Map<String, Map<String, Struct>> statesBySubscription() {
    Map<String, Map<String, Struct>> copy = new LinkedHashMap<>();
    subscriptions.forEach((id, s) -> copy.put(id, Map.copyOf(s.states)));
    return copy;
  }

  /** Returns whether the subscription's latest target change has been confirmed by its snapshot_complete. */
  public boolean settled(String subscriptionId) {
    Subscription s = subscriptions.get(subscriptionId);
    return s != null && s.pendingTargets.isEmpty() && s.confirmedTarget != null;
  }

  /** Returns the follow set confirmed by acks. */
  public Set<String> confirmedFollows() {
    return Set.copyOf(confirmedFollows);
  }

  /** Returns the room members as membership frames describe them. */
  public Set<String> members() {
    return Set.copyOf(members);
  }

  private void route(PresenceEvent event) {
    if (event.getSubscriptionIdsCount() > 0) {
      for (String id : event.getSubscriptionIdsList()) {
        Subscription s = subscriptions.get(id);
        if (s != null) {
          apply(s, event);
        }
      }
      return;
    }
    for (Subscription s : subscriptions.values()) {
      if (s.confirmedTarget != null && coversConfirmed(s.confirmedTarget, event.getUserId())) {
        apply(s, event);
      }
    }
  }

  private boolean coversConfirmed(SyncTarget target, String userId) {
    return switch (target.getKindCase()) {
      case ALL_USERS -> true;
      case FOLLOWED_USERS -> confirmedFollows.contains(userId);
      case USER_ID -> target.getUserId().equals(userId);
      case KIND_NOT_SET -> false;
    };
  }

  private void apply(Subscription s, PresenceEvent event) {
    if (event.hasState()) {
      s.states.put(event.getUserId(), event.getState());
      deliveries.add(new Delivery(s.id, event.getUserId(), event.getState(), event.getNullReason()));
    } else if (s.states.remove(event.getUserId()) != null) {
      deliveries.add(new Delivery(s.id, event.getUserId(), null, event.getNullReason()));
    }
  }

  private static final class Subscription {
    final String id;
    final Deque<SyncTarget> pendingTargets = new ArrayDeque<>();
    final Map<String, Struct> states = new LinkedHashMap<>();
    SyncTarget confirmedTarget;

    Subscription(String id) {
      this.id = id;
    }
  }

  private record FollowChange(String userId, boolean follow) {}
}
