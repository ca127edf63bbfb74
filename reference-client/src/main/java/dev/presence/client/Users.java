package dev.presence.client;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The users module of a {@link PresenceClient}: the room's members and this client's follow set. */
public interface Users {
  /**
   * The room's current members, this client's own user included, whether or not they have presence.
   *
   * @return an immutable snapshot, user id to user; empty before the first session opened
   */
  Map<String, User> all();

  /**
   * One member.
   *
   * @param userId the user
   * @return the member, or empty if not in the room
   */
  Optional<User> get(String userId);

  /**
   * Follows a user by id, whether or not the user is in the room yet.
   *
   * @param userId the user
   * @return completes on the server's acknowledgement
   */
  CompletableFuture<Void> follow(String userId);

  /**
   * Unfollows a user by id.
   *
   * @param userId the user
   * @return completes on the server's acknowledgement
   */
  CompletableFuture<Void> unfollow(String userId);

  /**
   * The users the server has confirmed this client follows.
   *
   * @return an immutable snapshot
   */
  Set<String> following();

  /**
   * Registers a membership listener.
   *
   * @param listener the callback
   * @return the registration
   */
  Subscription onMembership(MembershipListener listener);
}
