package dev.presence.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import dev.presence.client.testing.Harness.Recorder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed's follow example, step by step, against the reference server. */
class SeedFollowFlowTest {
  private RealServer server;

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** A change as {@code user (x,y)} or {@code user null REASON}, independent of JSON field order. */
  static String cursor(PresenceChange c) {
    return c.isNull() ? c.userId() + " null " + c.reason()
        : c.userId() + " (" + (int) c.state().pathDouble("cursor.x").orElse(-1) + ","
            + (int) c.state().pathDouble("cursor.y").orElse(-1) + ")";
  }

  @Test
  void followAwaitSyncFollowingStateArrivesUnfollowGivesOutOfScopeNull() throws Exception {
    server = RealServer.start(b -> b);
    PresenceClient ada = server.client("doc", "ada");
    PresenceClient bob = server.client("doc", "bob");
    RealServer.await("bob sees ada in the room", () -> bob.users().all().containsKey("ada"));

    User target = bob.users().all().get("ada");
    target.follow().get(RealServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(target.isFollowed()).isTrue();
    Recorder following = new Recorder();
    bob.presence().sync(SyncTarget.following(), following);

    ada.presence().update(Map.of("cursor", Map.of("x", 10, "y", 20)));
    RealServer.await("ada's state reaches the following sync", () -> following.changes.size() == 1);
    assertThat(following.changes.get(0).userId()).isEqualTo("ada");
    assertThat(following.changes.get(0).state().pathDouble("cursor.x")).hasValue(10);

    target.unfollow().get(RealServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    RealServer.await("the null after unfollow", () -> following.changes.size() == 2);
    assertThat(following.changes).extracting(SeedFollowFlowTest::cursor)
        .containsExactly("ada (10,20)", "ada null OUT_OF_SCOPE");
    assertThat(bob.users().following()).isEmpty();

    // Unfollowed: ada's next move must not reach the following sync. Once a new all-users sync of the same
    // session has it, everything the server sent about that move has arrived.
    ada.presence().update(Map.of("cursor", Map.of("x", 11, "y", 21)));
    Recorder all = new Recorder();
    bob.presence().sync(SyncTarget.all(), all);
    RealServer.await("bob's all-users sync sees ada's move",
        () -> all.changes.stream().map(SeedFollowFlowTest::cursor).anyMatch("ada (11,21)"::equals));
    assertThat(following.seen()).hasSize(2);
  }
}
