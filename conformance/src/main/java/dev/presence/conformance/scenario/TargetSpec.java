package dev.presence.conformance.scenario;

import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.FollowedUsers;
import dev.presence.protocol.v1.SyncTarget;

/**
 * A sync target in a scenario, naming users by their scenario names.
 *
 * @param kind which target
 * @param user the user for {@link Kind#USER}; null otherwise
 */
public record TargetSpec(Kind kind, String user) {

  /** The three targets of SPEC.md section 8.1. */
  public enum Kind {
    /** {@code '*'}. */
    ALL,
    /** {@code 'following'}. */
    FOLLOWING,
    /** One user. */
    USER
  }

  /** Returns {@code '*'}. */
  public static TargetSpec all() {
    return new TargetSpec(Kind.ALL, null);
  }

  /** Returns {@code 'following'}. */
  public static TargetSpec following() {
    return new TargetSpec(Kind.FOLLOWING, null);
  }

  /** Returns a one-user target. */
  public static TargetSpec user(String user) {
    return new TargetSpec(Kind.USER, user);
  }

  /** Returns the wire form, mapping the scenario user name to a wire user id. */
  public SyncTarget toWire(java.util.function.UnaryOperator<String> userIds) {
    return switch (kind) {
      case ALL -> SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()).build();
      case FOLLOWING -> SyncTarget.newBuilder().setFollowedUsers(FollowedUsers.getDefaultInstance()).build();
      case USER -> SyncTarget.newBuilder().setUserId(userIds.apply(user)).build();
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ALL -> "'*'";
      case FOLLOWING -> "'following'";
      case USER -> user;
    };
  }
}
