package dev.presence.server.room;

import dev.presence.protocol.v1.SyncTarget;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.fanout.Outbox;
import dev.presence.server.session.Session;
import dev.presence.server.session.Subscriptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Subscribe, unsubscribe, follow and unfollow: the operations that change a session's scope and answer
 * with tagged events, written synchronously so no live event can fall between a snapshot's first event
 * and its {@code snapshot_complete} (PRS-SUB-4).
 */
final class ScopeChanges {
  private final Room room;

  ScopeChanges(Room room) {
    this.room = room;
  }

  /** PRS-SUB-3 for a new id, PRS-SUB-6 for an existing one. */
  void subscribe(Session session, String subscriptionId, SyncTarget target, long requestId) {
    Subscriptions subs = session.subscriptions();
    Outbox outbox = session.outbox();
    List<String> tag = List.of(subscriptionId);
    TaggedBatcher batch = room.taggedBatcher(session);
    SyncTarget previous = subs.put(subscriptionId, target);
    if (previous == null) {
      room.metrics().subscriptionsChanged(1);
    }
    List<String> leaving = new ArrayList<>();
    if (previous != null) {
      for (String user : outbox.usersWithView()) {
        if (subs.covers(previous, user) && !subs.covers(target, user)) {
          leaving.add(user);
          batch.add(Responses.taggedOutOfScope(user, tag));
        }
      }
    }
    List<Map.Entry<String, EncodedState>> entering = new ArrayList<>();
    for (Member member : candidates(target)) {
      String user = member.user.getUserId();
      if (member.presence != null && subs.covers(target, user)
          && (previous == null || !subs.covers(previous, user))) {
        entering.add(Map.entry(user, member.presence));
        batch.add(Responses.taggedState(user, member.presence.struct(), tag));
      }
    }
    batch.flush();
    forgetUsersOutOfScope(session, leaving);
    for (Map.Entry<String, EncodedState> e : entering) {
      outbox.taggedStateDelivered(e.getKey(), e.getValue(), !subs.coveredOutside(e.getKey(), tag));
    }
    session.send(Responses.snapshotComplete(subscriptionId, requestId));
  }

  private Iterable<Member> candidates(SyncTarget target) {
    if (target.getKindCase() == SyncTarget.KindCase.USER_ID) {
      Member only = room.member(target.getUserId());
      return only == null ? List.of() : List.of(only);
    }
    return room.members();
  }

  /** PRS-SUB-7. */
  void unsubscribe(Session session, String subscriptionId, long requestId) {
    Subscriptions subs = session.subscriptions();
    SyncTarget target = subs.remove(subscriptionId);
    room.metrics().subscriptionsChanged(-1);
    List<String> tag = List.of(subscriptionId);
    TaggedBatcher batch = room.taggedBatcher(session);
    List<String> leaving = new ArrayList<>();
    for (String user : session.outbox().usersWithView()) {
      if (subs.covers(target, user)) {
        leaving.add(user);
        batch.add(Responses.taggedOutOfScope(user, tag));
      }
    }
    batch.flush();
    forgetUsersOutOfScope(session, leaving);
    ack(session, requestId);
  }

  /** PRS-FOL-3. */
  void follow(Session session, String userId, long requestId) {
    Subscriptions subs = session.subscriptions();
    if (subs.follow(userId)) {
      List<String> followed = subs.followedSubscriptionIds();
      EncodedState presence = room.presenceOf(userId);
      if (!followed.isEmpty() && presence != null) {
        TaggedBatcher batch = room.taggedBatcher(session);
        batch.add(Responses.taggedState(userId, presence.struct(), followed));
        batch.flush();
        session.outbox().taggedStateDelivered(userId, presence, !subs.coveredOutside(userId, followed));
      }
    }
    ack(session, requestId);
  }

  /** PRS-FOL-4. */
  void unfollow(Session session, String userId, long requestId) {
    Subscriptions subs = session.subscriptions();
    if (subs.unfollow(userId)) {
      List<String> followed = subs.followedSubscriptionIds();
      if (!followed.isEmpty() && session.outbox().hasView(userId)) {
        TaggedBatcher batch = room.taggedBatcher(session);
        batch.add(Responses.taggedOutOfScope(userId, followed));
        batch.flush();
      }
      forgetUsersOutOfScope(session, List.of(userId));
    }
    ack(session, requestId);
  }

  /** A tagged null leaves the view alone (SPEC §1.2) unless the user left the union scope entirely. */
  private static void forgetUsersOutOfScope(Session session, List<String> users) {
    for (String user : users) {
      if (!session.subscriptions().covers(user)) {
        session.outbox().leftScope(user);
      }
    }
  }

  private static void ack(Session session, long requestId) {
    if (requestId != 0) {
      session.send(Responses.ack(requestId));
    }
  }
}
