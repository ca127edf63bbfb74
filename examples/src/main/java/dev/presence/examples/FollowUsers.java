package dev.presence.examples;

import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.Subscription;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follow mode: follow one user and mirror their cursor, hiding it while they have none, until you unfollow.
 *
 * <p>It follows the user, waits for the server to confirm, then syncs the {@code following} target. When the
 * followed user's state becomes null (they left, cleared, or you unfollowed them) the cursor is hidden.
 */
public final class FollowUsers implements AutoCloseable {

  /** Draws the followed cursor. Called on the client's callback thread, one call at a time. */
  public interface View {
    /**
     * Shows the followed user's cursor.
     *
     * @param userId the user
     * @param name the user's display name, or the id when they have none
     * @param x horizontal position
     * @param y vertical position
     */
    void show(String userId, String name, double x, double y);

    /** Hides the cursor. */
    void hide();
  }

  private final PresenceClient client;
  private final User target;
  private final View view;
  private Subscription subscription;

  private FollowUsers(PresenceClient client, User target, View view) {
    this.client = client;
    this.target = target;
    this.view = view;
  }

  /**
   * Follows a member of the room and starts mirroring them. Blocks until the server confirms the follow, so do
   * not call it from a client callback.
   *
   * @param client a connected client
   * @param userId a user in {@code client.users().all()}
   * @param view where to draw the cursor
   * @return the running example; {@link #unfollow()} then close it
   * @throws IllegalArgumentException if the user is not in the room
   * @throws java.util.concurrent.CompletionException if the server refused the follow
   */
  public static FollowUsers follow(PresenceClient client, String userId, View view) {
    User target = client.users().all().get(userId);
    if (target == null) {
      throw new IllegalArgumentException(userId + " is not in the room");
    }
    target.follow().join();
    FollowUsers follow = new FollowUsers(client, target, view);
    follow.subscription = client.presence().sync(SyncTarget.following(), follow::onChange);
    return follow;
  }

  private void onChange(PresenceChange change) {
    OptionalDouble x = change.isNull() ? OptionalDouble.empty() : change.state().pathDouble("cursor.x");
    OptionalDouble y = change.isNull() ? OptionalDouble.empty() : change.state().pathDouble("cursor.y");
    if (x.isEmpty() || y.isEmpty()) {
      view.hide();
      return;
    }
    User user = client.users().all().get(change.userId());
    String name = user == null || user.displayName().isEmpty() ? change.userId() : user.displayName();
    view.show(change.userId(), name, x.getAsDouble(), y.getAsDouble());
  }

  /**
   * Stops following; the view is told to hide the cursor if it showed one. Blocks until the server confirms.
   *
   * @throws java.util.concurrent.CompletionException if the server refused the unfollow
   */
  public void unfollow() {
    target.unfollow().join();
  }

  /** Stops mirroring; the client stays connected. */
  @Override
  public void close() {
    subscription.close();
  }

  /**
   * Joins a room, waits for a user to be there, follows them and prints their cursor until standard input ends
   * or a line is entered, then unfollows.
   *
   * @param args target (host:port), room, your user id, the user id to follow
   * @throws Exception if reading standard input fails or the user never joins
   */
  public static void main(String[] args) throws Exception {
    ExampleArgs options = ExampleArgs.parse(args, 4, "FollowUsers <host:port> <room> <user> <user-to-follow>");
    String followee = args[3];
    try (PresenceClient client = options.connect()) {
      awaitMember(client, followee, Duration.ofMinutes(5));
      try (FollowUsers follow = follow(client, followee, new View() {
        @Override
        public void show(String userId, String name, double x, double y) {
          System.out.printf("%s is at (%.0f, %.0f)%n", name, x, y);
        }

        @Override
        public void hide() {
          System.out.println("cursor hidden");
        }
      })) {
        System.out.println("following " + followee + "; press Enter to stop");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        follow.unfollow();
        System.out.println("unfollowed " + followee);
      }
    }
  }

  private static void awaitMember(PresenceClient client, String userId, Duration patience)
      throws InterruptedException {
    CountDownLatch joined = new CountDownLatch(1);
    // Listen before looking, so that a join between the two is not missed.
    Subscription membership = client.users().onMembership(new MembershipListener() {
      @Override
      public void onJoined(User user) {
        if (user.id().equals(userId)) {
          joined.countDown();
        }
      }

      @Override
      public void onLeft(User user, NullReason reason) {}
    });
    try {
      if (client.users().get(userId).isEmpty()) {
        System.out.println("waiting for " + userId + " to join");
        if (!joined.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(userId + " did not join within " + patience);
        }
      }
    } finally {
      membership.close();
    }
  }
}
