package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every session's requests paired with their answers on the ordered frame trace. An answer ({@code ack},
 * {@code snapshot_complete}, or a {@code ProtocolError} naming an unanswered request) pairs with the oldest
 * unanswered request of its session that carries its {@code request_id}, so that duplicate ids (PRS-ACK-2) pair in
 * order; an {@code ack} or {@code snapshot_complete} with no such request is stray.
 */
final class Exchanges {

  /**
   * An answer that paired with no request.
   *
   * @param answeredBefore the request of the session already answered under the same {@code request_id}, or null
   */
  record Stray(int position, String session, ConnectResponse frame, Exchange answeredBefore) {}

  /** An answer that overtook the answer to an older request of its session. */
  record Overtaking(Exchange answered, Exchange older) {}

  private final List<Exchange> all = new ArrayList<>();
  private final List<Stray> strays = new ArrayList<>();
  private final List<Overtaking> overtakings = new ArrayList<>();
  private final Map<String, List<Exchange>> open = new HashMap<>();
  private final Map<String, Exchange> lastAnswered = new HashMap<>();
  private final Map<String, Map<String, Boolean>> following = new HashMap<>();

  private Exchanges() {}

  /** Pairs the requests and answers of every session in a run. */
  static Exchanges of(RunAnalysis run) {
    Exchanges x = new Exchanges();
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i) instanceof Observation.Sent s) {
        x.sent(i, s.session(), s.frame());
      } else if (history.get(i) instanceof Observation.Received r) {
        x.received(run, i, r);
      }
    }
    return x;
  }

  /** Returns every exchange, in the order of the requests. */
  List<Exchange> all() {
    return Collections.unmodifiableList(all);
  }

  /** Returns the answers that paired with no request, in the order received. */
  List<Stray> strays() {
    return Collections.unmodifiableList(strays);
  }

  /** Returns the answers that came before the answer to an older request. */
  List<Overtaking> overtakings() {
    return Collections.unmodifiableList(overtakings);
  }

  private void sent(int position, String session, ConnectRequest frame) {
    Map<String, Boolean> ids = following.computeIfAbsent(session, k -> new HashMap<>());
    Set<String> followingBefore = followingIds(ids);
    Exchange.Kind kind = switch (frame.getFrameCase()) {
      case SUBSCRIBE -> ids.put(frame.getSubscribe().getSubscriptionId(),
          frame.getSubscribe().getTarget().hasFollowedUsers()) == null
          ? Exchange.Kind.SUBSCRIBE : Exchange.Kind.RETARGET;
      case UNSUBSCRIBE -> {
        ids.remove(frame.getUnsubscribe().getSubscriptionId());
        yield frame.getRequestId() == 0 ? null : Exchange.Kind.UNSUBSCRIBE;
      }
      case FOLLOW -> Exchange.Kind.FOLLOW;
      case UNFOLLOW -> Exchange.Kind.UNFOLLOW;
      default -> null;
    };
    if (kind != null) {
      Exchange e = new Exchange(session, kind, position, frame, followingBefore);
      all.add(e);
      open.computeIfAbsent(session, k -> new ArrayList<>()).add(e);
    }
  }

  private void received(RunAnalysis run, int position, Observation.Received r) {
    ConnectResponse frame = r.frame();
    List<Exchange> waiting = open.getOrDefault(r.session(), new ArrayList<>());
    if (frame.hasPresence()) {
      for (PresenceEvent e : frame.getPresence().getEventsList()) {
        if (e.getSubscriptionIdsCount() > 0) {
          attribute(new ReceivedEvent(position, run.stepAt(position), r.nanos(), r.session(),
              run.scenarioUser(e.getUserId()), e), waiting);
        }
      }
      return;
    }
    long requestId;
    if (frame.hasAck()) {
      requestId = frame.getAck().getRequestId();
    } else if (frame.hasSnapshotComplete()) {
      requestId = frame.getSnapshotComplete().getRequestId();
    } else if (frame.hasError()) {
      requestId = frame.getError().getRequestId();
    } else {
      return;
    }
    Exchange match = waiting.stream().filter(e -> e.request().getRequestId() == requestId).findFirst().orElse(null);
    if (match == null) {
      Exchange before = answeredBefore(r.session(), requestId);
      if (!frame.hasError() || before != null) {
        strays.add(new Stray(position, r.session(), frame, before));
      }
      return;
    }
    if (waiting.get(0) != match) {
      overtakings.add(new Overtaking(match, waiting.get(0)));
    }
    if (frame.hasError()) {
      subscriptionRefused(r.session(), match);
    }
    match.answer(position, frame);
    waiting.remove(match);
    lastAnswered.put(r.session(), match);
  }

  private Exchange answeredBefore(String session, long requestId) {
    Exchange found = null;
    for (Exchange e : all) {
      if (e.session().equals(session) && e.answered() && e.request().getRequestId() == requestId) {
        found = e;
      }
    }
    return found;
  }

  private static Set<String> followingIds(Map<String, Boolean> followedUsersById) {
    Set<String> ids = new HashSet<>();
    followedUsersById.forEach((id, followedUsers) -> {
      if (followedUsers) {
        ids.add(id);
      }
    });
    return ids;
  }

  private void attribute(ReceivedEvent e, List<Exchange> waiting) {
    if (!waiting.isEmpty()) {
      waiting.get(0).addTagged(e);
    } else if (lastAnswered.containsKey(e.session())) {
      lastAnswered.get(e.session()).addTaggedAfterAnswer(e);
    }
  }

  /** A refused subscribe creates no subscription (PRS-SUB-2, PRS-SUB-9), so its id stays new. */
  private void subscriptionRefused(String session, Exchange refused) {
    if (refused.kind() == Exchange.Kind.SUBSCRIBE) {
      following.get(session).remove(refused.subscriptionId());
    }
  }
}
