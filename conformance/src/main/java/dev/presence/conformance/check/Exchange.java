package dev.presence.conformance.check;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One request of a session that SPEC.md PRS-ACK-1 says gets an answer ({@code subscribe}, {@code unsubscribe} with
 * a non-zero {@code request_id}, {@code follow}, {@code unfollow}), paired with that answer and with the tagged
 * events the session received while it was the oldest request still unanswered. Because a server processes a
 * session's frames in order (PRS-TRN-2), those are the tagged events it caused.
 */
public final class Exchange {

  /** What the request asks for; a {@code subscribe} of a known id is a retarget (PRS-SUB-6). */
  public enum Kind {
    /** A {@code subscribe} with a new {@code subscription_id}. */
    SUBSCRIBE,
    /** A {@code subscribe} with the id of an existing subscription. */
    RETARGET,
    /** An {@code unsubscribe}. */
    UNSUBSCRIBE,
    /** A {@code follow}. */
    FOLLOW,
    /** An {@code unfollow}. */
    UNFOLLOW
  }

  private final String session;
  private final Kind kind;
  private final int requestPosition;
  private final ConnectRequest request;
  private final Set<String> following;
  private final List<ReceivedEvent> tagged = new ArrayList<>();
  private final List<ReceivedEvent> taggedAfterAnswer = new ArrayList<>();
  private int answerPosition = -1;
  private ConnectResponse answer;

  Exchange(String session, Kind kind, int requestPosition, ConnectRequest request, Set<String> following) {
    this.session = session;
    this.kind = kind;
    this.requestPosition = requestPosition;
    this.request = request;
    this.following = Set.copyOf(following);
  }

  /** Returns the session that sent the request. */
  public String session() {
    return session;
  }

  /** Returns what the request asks for. */
  public Kind kind() {
    return kind;
  }

  /** Returns the history position of the request. */
  public int requestPosition() {
    return requestPosition;
  }

  /** Returns the request. */
  public ConnectRequest request() {
    return request;
  }

  /** Returns the subscription the request names, or empty for a follow or an unfollow. */
  public String subscriptionId() {
    return switch (kind) {
      case SUBSCRIBE, RETARGET -> request.getSubscribe().getSubscriptionId();
      case UNSUBSCRIBE -> request.getUnsubscribe().getSubscriptionId();
      case FOLLOW, UNFOLLOW -> "";
    };
  }

  /**
   * Returns the session's {@code followed_users} subscriptions when it sent the request, as far as its own
   * requests tell: those a follow or an unfollow must name (PRS-FOL-3, PRS-FOL-4).
   */
  public Set<String> followingSubscriptions() {
    return following;
  }

  /** Returns whether an answer arrived. */
  public boolean answered() {
    return answer != null;
  }

  /** Returns the history position of the answer, or -1. */
  public int answerPosition() {
    return answerPosition;
  }

  /** Returns the answer, or null when none arrived. */
  public ConnectResponse answer() {
    return answer;
  }

  /** Returns the tagged events received while this was the oldest unanswered request, in order. */
  List<ReceivedEvent> tagged() {
    return Collections.unmodifiableList(tagged);
  }

  /**
   * Returns the tagged events received after this request's answer while no request of the session was waiting
   * for one: nothing but this request, the last one answered, can have caused them.
   */
  List<ReceivedEvent> taggedAfterAnswer() {
    return Collections.unmodifiableList(taggedAfterAnswer);
  }

  void addTagged(ReceivedEvent e) {
    tagged.add(e);
  }

  void addTaggedAfterAnswer(ReceivedEvent e) {
    taggedAfterAnswer.add(e);
  }

  void answer(int position, ConnectResponse frame) {
    answerPosition = position;
    answer = frame;
  }

  /** Returns the request as a report names it, with users by their scenario names. */
  public String describe(RunAnalysis run) {
    String what = switch (kind) {
      case SUBSCRIBE -> "subscribe " + subscriptionId();
      case RETARGET -> "retarget of " + subscriptionId();
      case UNSUBSCRIBE -> "unsubscribe " + subscriptionId();
      case FOLLOW -> "follow of " + run.scenarioUser(request.getFollow().getUserId());
      case UNFOLLOW -> "unfollow of " + run.scenarioUser(request.getUnfollow().getUserId());
    };
    return session + "'s " + what + " (request_id " + request.getRequestId() + ")";
  }
}
