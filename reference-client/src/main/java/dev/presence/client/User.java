package dev.presence.client;

import java.util.concurrent.CompletableFuture;

/**
 * A member of the room, as the server knows it from authentication. Instances are immutable snapshots of
 * identity; {@link #follow()} and {@link #unfollow()} act through the client that produced them.
 */
public interface User {
  /**
   * The user id.
   *
   * @return the id
   */
  String id();

  /**
   * The human-readable name.
   *
   * @return the display name, possibly empty
   */
  String displayName();

  /**
   * Tells whether this is the client's own user.
   *
   * @return true for self
   */
  boolean isSelf();

  /**
   * Tells whether the server has confirmed that this client follows the user.
   *
   * @return true if followed
   */
  boolean isFollowed();

  /**
   * Adds this user to the client's follow set, which feeds {@link SyncTarget#following()} subscriptions.
   *
   * @return completes when the server acknowledges, or exceptionally with a {@link PresenceException}
   */
  CompletableFuture<Void> follow();

  /**
   * Removes this user from the client's follow set.
   *
   * @return completes when the server acknowledges, or exceptionally with a {@link PresenceException}
   */
  CompletableFuture<Void> unfollow();
}
