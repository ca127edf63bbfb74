package dev.presence.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The follow mode logic against a stub client; {@link ExamplesAgainstServerTest} runs it against a real server. */
class FollowUsersTest {

  @Test
  void followsBeforeSyncingMirrorsThenHidesAndUnfollows() {
    StubClient client = new StubClient("me", "ada");
    RecordingViews.Follow view = new RecordingViews.Follow();
    try (FollowUsers follow = FollowUsers.follow(client, "ada", view)) {
      client.emit("ada", "{\"cursor\":{\"x\":3,\"y\":4}}");
      client.emit("ada", null);
      follow.unfollow();
    }
    assertThat(view.seen).containsExactly("ADA (3,4)", "hidden");
    assertThat(client.calls).containsExactly("follow ada", "sync following", "unfollow ada", "close sync following");
  }

  @Test
  void aUserNotInTheRoomCannotBeFollowed() {
    StubClient client = new StubClient("me");
    assertThatThrownBy(() -> FollowUsers.follow(client, "ghost", new RecordingViews.Follow()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(client.calls).isEmpty();
  }
}
