package dev.presence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.PresenceClient;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both examples against the reference server on a loopback port, over Netty. */
class ExamplesAgainstServerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private PresenceServer server;
  private final List<PresenceClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = PresenceServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).build()).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(PresenceClient::close);
    server.shutdown(Duration.ofSeconds(2));
  }

  private PresenceClient join(String user) throws Exception {
    PresenceClient c = PresenceClient.builder().target("127.0.0.1:" + server.port()).room("doc-42")
        .devIdentity(user, user.toUpperCase()).build();
    clients.add(c);
    c.connect().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    return c;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + PATIENCE.toMillis() + " ms waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void liveCursorsShowsEveryoneElseAndDropsWhoLeaves() throws Exception {
    PresenceClient me = join("me");
    RecordingViews.Cursors view = new RecordingViews.Cursors();
    try (LiveCursors cursors = LiveCursors.start(me, view)) {
      cursors.move(1, 1);
      PresenceClient ada = join("ada");
      PresenceClient bob = join("bob");
      LiveCursors.start(ada, new RecordingViews.Cursors()).move(10, 20);
      LiveCursors.start(bob, new RecordingViews.Cursors()).move(30, 40);
      await("ada and bob on screen", () -> cursors.cursors().size() == 2);
      assertThat(cursors.cursors()).containsEntry("ada", new LiveCursors.Cursor(10, 20))
          .containsEntry("bob", new LiveCursors.Cursor(30, 40));

      bob.close();
      await("bob's cursor removed", () -> view.seen.contains("bob removed"));
      assertThat(cursors.cursors()).containsOnlyKeys("ada");
      assertThat(view.seen).noneMatch(line -> line.startsWith("me "));
    }
  }

  @Test
  void followUsersMirrorsTheFollowedCursorAndHidesItOnUnfollow() throws Exception {
    PresenceClient ada = join("ada");
    PresenceClient bob = join("bob");
    await("bob sees ada", () -> bob.users().all().containsKey("ada"));
    RecordingViews.Follow view = new RecordingViews.Follow();
    try (FollowUsers follow = FollowUsers.follow(bob, "ada", view)) {
      assertThat(bob.users().following()).containsExactly("ada");
      LiveCursors adaCursor = LiveCursors.start(ada, new RecordingViews.Cursors());
      adaCursor.move(5, 6);
      await("ada's cursor shown", () -> view.seen.contains("ADA (5,6)"));
      follow.unfollow();
      await("cursor hidden", () -> view.seen.contains("hidden"));
      assertThat(view.seen).containsExactly("ADA (5,6)", "hidden");
      assertThat(bob.users().following()).isEmpty();
    }
  }
}
