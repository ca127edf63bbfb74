package dev.presence.conformance.directed;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.RawSession;
import dev.presence.protocol.v1.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * Many users in the case's room, each holding a state of max_state_bytes, so that what the server owes one
 * subscriber is several times max_outbound_frame_bytes (PRS-TRN-7) or enough to stall its call (PRS-END-6).
 */
final class Crowd {

  /** How many times the bound the room's states add up to; enough that no single batch may carry them. */
  static final int VOLUME_OVER_BOUND = 4;
  private static final int MAX_USERS = 600;

  private final List<Joined> members = new ArrayList<>();
  private final int stateBytes;

  private Crowd(int stateBytes) {
    this.stateBytes = stateBytes;
  }

  /**
   * Opens enough users that their states add up to {@link #VOLUME_OVER_BOUND} times the outbound bound.
   *
   * @throws NotApplicable if the room or the kit's credentials cannot hold that many users
   */
  static Crowd over(Probe p, Limits limits, long bound) throws InterruptedException {
    return over(p, limits, bound, () -> { });
  }

  /**
   * As {@link #over(Probe, Limits, long)}, running {@code afterEachJoin} after every member joined: a session that
   * must stay silent until the crowd is complete can keep its connection alive from there, since a crowd of hundreds
   * may take longer than leave_detection_millis to open on a loaded machine.
   */
  static Crowd over(Probe p, Limits limits, long bound, Runnable afterEachJoin) throws InterruptedException {
    long stateBytes = Expect.limit(limits.getMaxStateBytes());
    long users = (VOLUME_OVER_BOUND * bound + stateBytes - 1) / stateBytes;
    long roomCapacity = Expect.limit(limits.getMaxSessionsPerRoom()) - 2;
    if (users > Math.min(MAX_USERS, roomCapacity)) {
      throw new NotApplicable("needs " + users + " users of max_state_bytes " + stateBytes + " to exceed "
          + VOLUME_OVER_BOUND + " x " + bound + " bytes; the room holds " + roomCapacity + " and the kit opens "
          + "at most " + MAX_USERS);
    }
    Crowd crowd = new Crowd((int) stateBytes);
    for (int i = 0; i < users; i++) {
      crowd.members.add(joinMember(p, "crowd" + i));
      afterEachJoin.run();
    }
    return crowd;
  }

  private static Joined joinMember(Probe p, String user) throws InterruptedException {
    try {
      p.credentials().headersFor(user);
    } catch (RuntimeException e) {
      throw new NotApplicable("needs credentials for many users; none for " + user + ": " + e.getMessage());
    }
    return p.join(user);
  }

  /** Every member sends a state of max_state_bytes marked with the round, so rounds differ. */
  void sendStates(String round) {
    for (int i = 0; i < members.size(); i++) {
      Expect.send(members.get(i).session(), stateOf(i, round));
    }
  }

  /** The state member {@code i} sent in a round. */
  com.google.protobuf.Struct stateOf(int i, String round) {
    return States.ofEncodedSize(round + "/" + i + "/", stateBytes);
  }

  /**
   * Waits until a subscriber holds each member's state of a round, from member {@code first} on; members before it
   * may have left, and a leave's null may replace a state that was still owed.
   *
   * @throws CaseFailure if some state does not come within the request timeout
   */
  void awaitRound(Probe p, RawSession subscriber, int from, String round, int first) throws InterruptedException {
    for (int i = first; i < members.size(); i++) {
      String user = members.get(i).opened().getSelf().getUserId();
      com.google.protobuf.Struct last = stateOf(i, round);
      p.await(subscriber, from, r -> r.getPresence().getEventsList().stream()
          .anyMatch(e -> e.getUserId().equals(user) && e.getState().equals(last)), "the crowd's last states");
    }
  }

  List<Joined> members() {
    return members;
  }
}
