package dev.presence.conformance.scenario;

import dev.presence.conformance.history.EndKind;
import java.util.List;

/**
 * One action of a scenario. Sessions, users and rooms are named by the scenario ({@code s1}, {@code u1},
 * {@code r1}); the runner maps them to wire identifiers unique to the run.
 */
public sealed interface Step {

  /** Returns the session this step acts on. */
  String session();

  /**
   * Opens a session for a user in a room.
   *
   * @param session the new session's name
   * @param user the user it acts for
   * @param room the room
   * @param declaresPing whether the open declares {@code CAPABILITY_PING}, so that the server may ping the session
   *     and the kit answers its pings
   */
  record Join(String session, String user, String room, boolean declaresPing) implements Step {
    /** A join that declares no capability. */
    public Join(String session, String user, String room) {
      this(session, user, room, false);
    }

    @Override
    public String toString() {
      return session + " joins " + room + " as " + user + (declaresPing ? " declaring CAPABILITY_PING" : "");
    }
  }

  /**
   * Sends a burst of updates; the state of update {@code n} names the step and {@code n}, so every state of a
   * scenario is distinct.
   *
   * @param session the sender
   * @param gapsMillis the pause before each update after the first; its size is the burst length minus one
   */
  record Update(String session, List<Integer> gapsMillis) implements Step {
    /** Copies the gaps. */
    public Update {
      gapsMillis = List.copyOf(gapsMillis);
    }

    /** Returns the number of updates in the burst. */
    public int count() {
      return gapsMillis.size() + 1;
    }

    @Override
    public String toString() {
      return session + " sends " + count() + " update(s) with gaps " + gapsMillis + " ms";
    }
  }

  /**
   * Clears the session's state.
   *
   * @param session the session
   */
  record Clear(String session) implements Step {
    @Override
    public String toString() {
      return session + " clears";
    }
  }

  /**
   * Subscribes, or changes the target of an existing subscription with the same id.
   *
   * @param session the session
   * @param subscriptionId the subscription id
   * @param target the target
   */
  record Subscribe(String session, String subscriptionId, TargetSpec target) implements Step {
    @Override
    public String toString() {
      return session + " subscribes " + subscriptionId + " to " + target;
    }
  }

  /**
   * Ends a subscription.
   *
   * @param session the session
   * @param subscriptionId the subscription id
   */
  record Unsubscribe(String session, String subscriptionId) implements Step {
    @Override
    public String toString() {
      return session + " unsubscribes " + subscriptionId;
    }
  }

  /**
   * Follows a user.
   *
   * @param session the session
   * @param user the followed user
   */
  record Follow(String session, String user) implements Step {
    @Override
    public String toString() {
      return session + " follows " + user;
    }
  }

  /**
   * Unfollows a user.
   *
   * @param session the session
   * @param user the unfollowed user
   */
  record Unfollow(String session, String user) implements Step {
    @Override
    public String toString() {
      return session + " unfollows " + user;
    }
  }

  /**
   * Ends the session from the client's side.
   *
   * @param session the session
   * @param how which way
   */
  record End(String session, EndKind how) implements Step {
    @Override
    public String toString() {
      return session + " ends by " + how;
    }
  }
}
