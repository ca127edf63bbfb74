package dev.presence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The live cursors logic against a stub client; {@link ExamplesAgainstServerTest} runs it against a real server. */
class LiveCursorsTest {

  @Test
  void tracksOthersSkipsSelfAndRemovesOnNull() {
    StubClient client = new StubClient("me", "ada", "bob");
    RecordingViews.Cursors view = new RecordingViews.Cursors();
    try (LiveCursors cursors = LiveCursors.start(client, view)) {
      client.emit("me", "{\"cursor\":{\"x\":1,\"y\":1}}");
      client.emit("ada", "{\"cursor\":{\"x\":10,\"y\":20}}");
      client.emit("bob", "{\"cursor\":{\"x\":5,\"y\":6}}");
      client.emit("ada", "{\"cursor\":{\"x\":11,\"y\":21}}");
      client.emit("bob", null);
      assertThat(view.seen).containsExactly("ada (10,20)", "bob (5,6)", "ada (11,21)", "bob removed");
      assertThat(cursors.cursors()).containsOnlyKeys("ada")
          .containsEntry("ada", new LiveCursors.Cursor(11, 21));
    }
    assertThat(client.calls).containsExactly("sync *", "close sync *");
  }

  @Test
  void aStateWithoutACursorRemovesItAndIsNotAnError() {
    StubClient client = new StubClient("me", "ada");
    RecordingViews.Cursors view = new RecordingViews.Cursors();
    try (LiveCursors cursors = LiveCursors.start(client, view)) {
      client.emit("ada", "{\"typing\":true}");
      client.emit("ada", "{\"cursor\":{\"x\":1,\"y\":2}}");
      client.emit("ada", "{\"typing\":true}");
      assertThat(view.seen).containsExactly("ada (1,2)", "ada removed");
      assertThat(cursors.cursors()).isEmpty();
    }
  }

  @Test
  void moveBroadcastsTheCursor() {
    StubClient client = new StubClient("me");
    try (LiveCursors cursors = LiveCursors.start(client, new RecordingViews.Cursors())) {
      cursors.move(100, 200);
    }
    assertThat(client.updates).hasSize(1);
    assertThat(client.updates.get(0).pathDouble("cursor.x")).hasValue(100);
    assertThat(client.updates.get(0).pathDouble("cursor.y")).hasValue(200);
  }
}
