package dev.presence.conformance.selftest;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.SyncTarget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The faults of {@link Fault} that move, repeat or invent frames around the answers of one relayed session. It
 * follows the session's requests, targets, follows and members as the client sees them, so that it can break
 * exactly the order or the "not again" its fault names.
 */
final class OrderFaults {

  private static final long WINDOW_MILLIS = 50;
  private static final long HOLD_MILLIS = 150;
  /** Long enough to span a directed round's wait for the open it answers, even on two busy shared cores. */
  private static final long MEMBERSHIP_HOLD_MILLIS = 1_000;

  private enum Kind { SUBSCRIBE, RETARGET, UNSUBSCRIBE, FOLLOW, UNFOLLOW }

  /** A request waiting for its answer, with the users a faulty retarget delivers again. */
  private record Pending(Kind kind, long requestId, String subscriptionId, List<String> again) {}

  private final Fault fault;
  private final Consumer<ConnectResponse> out;
  private final BiConsumer<Long, Runnable> later;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final Map<String, SyncTarget> targets = new HashMap<>();
  private final Set<String> follows = new HashSet<>();
  private final Set<String> members = new HashSet<>();
  private final Map<String, Struct> lastState = new HashMap<>();
  private final Map<String, Integer> eventsAbout = new HashMap<>();
  private final List<PresenceEvent> heldTagged = new ArrayList<>();
  private final List<ConnectResponse> heldMembership = new ArrayList<>();
  private ConnectResponse heldAnswer;

  /**
   * Creates the faults of one session.
   *
   * @param fault the proxy's fault; any other than those handled here leaves every frame alone
   * @param out delivers a frame to the client
   * @param later runs an action after a delay in milliseconds, under the proxy's lock
   */
  OrderFaults(Fault fault, Consumer<ConnectResponse> out, BiConsumer<Long, Runnable> later) {
    this.fault = fault;
    this.out = out;
    this.later = later;
  }

  /** Notes a frame of the client on its way to the server. */
  void fromClient(ConnectRequest frame) {
    switch (frame.getFrameCase()) {
      case SUBSCRIBE -> {
        String id = frame.getSubscribe().getSubscriptionId();
        SyncTarget before = targets.put(id, frame.getSubscribe().getTarget());
        List<String> again = before == null ? List.of() : usersInBothScopes(before, frame.getSubscribe().getTarget());
        pending.add(new Pending(before == null ? Kind.SUBSCRIBE : Kind.RETARGET, frame.getRequestId(), id, again));
      }
      case UNSUBSCRIBE -> {
        targets.remove(frame.getUnsubscribe().getSubscriptionId());
        if (frame.getRequestId() != 0) {
          pending.add(new Pending(Kind.UNSUBSCRIBE, frame.getRequestId(), "", List.of()));
        }
      }
      case FOLLOW -> {
        follows.add(frame.getFollow().getUserId());
        pending.add(new Pending(Kind.FOLLOW, frame.getRequestId(), "", List.of()));
      }
      case UNFOLLOW -> {
        follows.remove(frame.getUnfollow().getUserId());
        pending.add(new Pending(Kind.UNFOLLOW, frame.getRequestId(), "", List.of()));
      }
      default -> { }
    }
  }

  /**
   * Offers a frame of the server on its way to the client.
   *
   * @return whether this took charge of delivering it
   */
  boolean fromServer(ConnectResponse frame) {
    Pending answered = answered(frame);
    boolean taken = switch (fault) {
      case SNAPSHOT_COMPLETE_FIRST -> answerFirst(frame, answered, Kind.SUBSCRIBE);
      case RETARGET_COMPLETE_FIRST -> answerFirst(frame, answered, Kind.RETARGET);
      case UNSUBSCRIBE_ACK_BEFORE_NULLS -> answerFirst(frame, answered, Kind.UNSUBSCRIBE);
      case FOLLOW_ACK_BEFORE_STATE -> answerFirst(frame, answered, Kind.FOLLOW);
      case UNFOLLOW_ACK_BEFORE_NULL -> answerFirst(frame, answered, Kind.UNFOLLOW);
      case RETARGET_STATES_BEFORE_NULLS -> statesFirst(frame, answered);
      case RETARGET_REDELIVERS_UNCHANGED -> redeliver(frame, answered);
      case SNAPSHOT_COMPLETE_TWICE -> twice(frame, frame.hasSnapshotComplete());
      case FOLLOW_ACKED_TWICE -> twice(frame, answered != null && answered.kind() == Kind.FOLLOW && frame.hasAck());
      case RETARGET_LEFT_UNANSWERED -> answered != null && answered.kind() == Kind.RETARGET
          && frame.hasSnapshotComplete();
      case ANSWERS_REORDERED -> swapAnswers(frame, answered != null);
      case MEMBERSHIP_INSIDE_SNAPSHOT -> membershipLate(frame);
      case STATE_RESENT_AFTER_NULL -> {
        resendAfterNulls(frame);
        yield false;
      }
      default -> false;
    };
    track(frame, answered);
    return taken;
  }

  /** The request a frame answers: the oldest waiting one with its request_id. */
  private Pending answered(ConnectResponse frame) {
    long id;
    if (frame.hasAck()) {
      id = frame.getAck().getRequestId();
    } else if (frame.hasSnapshotComplete()) {
      id = frame.getSnapshotComplete().getRequestId();
    } else if (frame.hasError()) {
      id = frame.getError().getRequestId();
    } else {
      return null;
    }
    return pending.stream().filter(p -> p.requestId() == id).findFirst().orElse(null);
  }

  /** Holds the tagged events of one kind of request and delivers them right after its answer. */
  private boolean answerFirst(ConnectResponse frame, Pending answered, Kind kind) {
    Pending current = pending.peek();
    if (current != null && current.kind() == kind && frame.hasPresence()) {
      List<PresenceEvent> live = new ArrayList<>();
      for (PresenceEvent e : frame.getPresence().getEventsList()) {
        (e.getSubscriptionIdsCount() > 0 ? heldTagged : live).add(e);
      }
      out.accept(batch(live));
      return true;
    }
    if (answered != null && answered.kind() == kind) {
      out.accept(frame);
      out.accept(batch(heldTagged));
      heldTagged.clear();
      return true;
    }
    return false;
  }

  /** Holds a retarget's tagged events and delivers its states before its nulls, then its answer. */
  private boolean statesFirst(ConnectResponse frame, Pending answered) {
    Pending current = pending.peek();
    if (current != null && current.kind() == Kind.RETARGET && frame.hasPresence()) {
      heldTagged.addAll(frame.getPresence().getEventsList());
      return true;
    }
    if (answered != null && answered.kind() == Kind.RETARGET) {
      out.accept(batch(heldTagged.stream().filter(PresenceEvent::hasState).toList()));
      out.accept(batch(heldTagged.stream().filter(e -> !e.hasState()).toList()));
      heldTagged.clear();
      out.accept(frame);
      return true;
    }
    return false;
  }

  /** Before a retarget's answer, delivers again the state of every user its old and new targets both cover. */
  private boolean redeliver(ConnectResponse frame, Pending answered) {
    if (answered == null || answered.kind() != Kind.RETARGET || !frame.hasSnapshotComplete()) {
      return false;
    }
    List<PresenceEvent> again = new ArrayList<>();
    for (String user : answered.again()) {
      Struct state = lastState.get(user);
      if (state != null) {
        again.add(PresenceEvent.newBuilder().setUserId(user).setState(state)
            .addSubscriptionIds(answered.subscriptionId()).build());
      }
    }
    out.accept(batch(again));
    out.accept(frame);
    return true;
  }

  private boolean twice(ConnectResponse frame, boolean repeat) {
    if (!repeat) {
      return false;
    }
    out.accept(frame);
    out.accept(frame);
    return true;
  }

  /**
   * Swaps answers that follow each other directly; any other frame, or a while without one, lets a held answer go
   * out first, so that nothing but the order of answers changes.
   */
  private boolean swapAnswers(ConnectResponse frame, boolean isAnswer) {
    if (!isAnswer) {
      if (heldAnswer != null) {
        out.accept(heldAnswer);
        heldAnswer = null;
      }
      return false;
    }
    if (heldAnswer == null) {
      heldAnswer = frame;
      later.accept(HOLD_MILLIS, () -> {
        if (heldAnswer == frame) {
          out.accept(frame);
          heldAnswer = null;
        }
      });
      return true;
    }
    out.accept(frame);
    out.accept(heldAnswer);
    heldAnswer = null;
    return true;
  }

  /**
   * Holds membership frames until the next tagged presence frame, or a while. A presence frame takes along, ahead of
   * it, the held frames about its own users, so no presence overtakes its user's join; a tagged one then lets the
   * others follow it, inside its snapshot. Any other frame keeps its place behind all of them. Live frames do not end
   * the hold: between a change of membership and the next snapshot, the directed case's watcher gets the joining
   * user's state live, and so the fault showed only in the case's first round, where nothing else comes between.
   */
  private boolean membershipLate(ConnectResponse frame) {
    if (frame.hasMemberJoined() || frame.hasMemberLeft()) {
      heldMembership.add(frame);
      later.accept(MEMBERSHIP_HOLD_MILLIS, () -> {
        if (heldMembership.contains(frame)) {
          releaseHeldMembership();
        }
      });
      return true;
    }
    if (heldMembership.isEmpty()) {
      return false;
    }
    if (!frame.hasPresence()) {
      releaseHeldMembership();
      out.accept(frame);
      return true;
    }
    Set<String> about = new HashSet<>();
    frame.getPresence().getEventsList().forEach(e -> about.add(e.getUserId()));
    List<ConnectResponse> theirs = heldMembership.stream().filter(m -> about.contains(memberOf(m))).toList();
    theirs.forEach(out);
    heldMembership.removeAll(theirs);
    out.accept(frame);
    if (frame.getPresence().getEventsList().stream().anyMatch(e -> e.getSubscriptionIdsCount() > 0)) {
      releaseHeldMembership();
    }
    return true;
  }

  private void releaseHeldMembership() {
    heldMembership.forEach(out);
    heldMembership.clear();
  }

  private static String memberOf(ConnectResponse membership) {
    return membership.hasMemberJoined() ? membership.getMemberJoined().getUser().getUserId()
        : membership.getMemberLeft().getUserId();
  }

  /**
   * A window after a live null of a clear, sends the state it nulled again unless anything about the user came
   * since. Nulls of a leave are left alone, so that no state arrives about a user who is no longer a member.
   */
  private void resendAfterNulls(ConnectResponse frame) {
    for (PresenceEvent e : frame.getPresence().getEventsList()) {
      Struct before = lastState.get(e.getUserId());
      if (e.getSubscriptionIdsCount() == 0 && e.getNullReason() == NullReason.NULL_REASON_CLEARED
          && before != null) {
        String user = e.getUserId();
        int seen = eventsAbout.getOrDefault(user, 0) + 1;
        later.accept(WINDOW_MILLIS + 15, () -> {
          if (eventsAbout.getOrDefault(user, 0) == seen) {
            out.accept(batch(List.of(PresenceEvent.newBuilder().setUserId(user).setState(before).build())));
          }
        });
      }
    }
  }

  private void track(ConnectResponse frame, Pending answered) {
    if (answered != null) {
      pending.remove(answered);
    }
    switch (frame.getFrameCase()) {
      case OPENED -> frame.getOpened().getMembersList().forEach(m -> members.add(m.getUserId()));
      case MEMBER_JOINED -> members.add(frame.getMemberJoined().getUser().getUserId());
      case MEMBER_LEFT -> members.remove(frame.getMemberLeft().getUserId());
      case PRESENCE -> {
        for (PresenceEvent e : frame.getPresence().getEventsList()) {
          eventsAbout.merge(e.getUserId(), 1, Integer::sum);
          if (e.hasState()) {
            lastState.put(e.getUserId(), e.getState());
          } else if (e.getSubscriptionIdsCount() == 0) {
            lastState.remove(e.getUserId());
          }
        }
      }
      default -> { }
    }
  }

  private List<String> usersInBothScopes(SyncTarget before, SyncTarget after) {
    return members.stream().filter(u -> lastState.containsKey(u) && covers(before, u) && covers(after, u))
        .sorted().toList();
  }

  private boolean covers(SyncTarget target, String user) {
    return switch (target.getKindCase()) {
      case ALL_USERS -> true;
      case FOLLOWED_USERS -> follows.contains(user);
      case USER_ID -> target.getUserId().equals(user);
      default -> false;
    };
  }

  private static ConnectResponse batch(List<PresenceEvent> events) {
    return ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addAllEvents(events)).build();
  }
}
