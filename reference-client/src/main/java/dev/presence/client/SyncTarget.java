package dev.presence.client;

import dev.presence.protocol.Identifiers;
import java.util.Objects;

/**
 * Whose presence a subscription receives: every user ({@code '*'}), the users this client follows
 * ({@code 'following'}), or one user.
 */
public final class SyncTarget {
  /** The kinds of target. */
  public enum Kind {
    /** Every user in the room, this client's own user included. */
    ALL,
    /** The users this client follows, see {@link User#follow()}. */
    FOLLOWING,
    /** One user. */
    USER
  }

  private static final SyncTarget ALL = new SyncTarget(Kind.ALL, null);
  private static final SyncTarget FOLLOWING = new SyncTarget(Kind.FOLLOWING, null);

  private final Kind kind;
  private final String userId;

  private SyncTarget(Kind kind, String userId) {
    this.kind = kind;
    this.userId = userId;
  }

  /**
   * Every user in the room, including this client's own user (skip it by comparing with
   * {@link PresenceClient#userId()}).
   *
   * @return the {@code '*'} target
   */
  public static SyncTarget all() {
    return ALL;
  }

  /**
   * The users this client follows, as confirmed by the server.
   *
   * @return the {@code 'following'} target
   */
  public static SyncTarget following() {
    return FOLLOWING;
  }

  /**
   * One user, by id.
   *
   * @param userId the user's id
   * @return the target
   */
  public static SyncTarget user(String userId) {
    Objects.requireNonNull(userId, "userId");
    if (!Identifiers.isValidUserId(userId)) {
      throw new IllegalArgumentException("invalid user id");
    }
    return new SyncTarget(Kind.USER, userId);
  }

  /**
   * Parses the seed's notation: {@code "*"}, {@code "following"}, or a user id.
   *
   * @param text the target text
   * @return the target
   */
  public static SyncTarget parse(String text) {
    Objects.requireNonNull(text, "text");
    switch (text) {
      case "*":
        return ALL;
      case "following":
        return FOLLOWING;
      default:
        return user(text);
    }
  }

  /**
   * The kind of target.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The user of a {@link Kind#USER} target.
   *
   * @return the user id, or null for other kinds
   */
  public String userId() {
    return userId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyncTarget t && t.kind == kind && Objects.equals(t.userId, userId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, userId);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ALL -> "*";
      case FOLLOWING -> "following";
      case USER -> "user:" + userId;
    };
  }
}
