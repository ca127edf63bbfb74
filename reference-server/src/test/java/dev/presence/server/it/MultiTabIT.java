package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.clear;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Several sessions of one user are one user to everyone else (PRS-SES-*). */
class MultiTabIT {
  /** Longer than any delay the server may add (W + 25 ms) with ample slack for a loaded machine. */
  private static final Duration QUIET = Duration.ofMillis(400);
  private ServerFixture fx;
  private TestSession bob;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start();
    bob = fx.openWatchingAll("r", "bob");
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("PRS-SES-2/PRS-SES-3: the latest state of any tab wins; closing it shows the other tab's state, not a null")
  void closingOneTabShowsTheOther() {
    TestSession tab1 = fx.open("r", "alice");
    TestSession tab2 = fx.open("r", "alice");
    tab1.send(update(1));
    bob.awaitEvent("alice", x(1));
    tab2.send(update(2));
    bob.awaitEvent("alice", x(2));
    tab2.halfClose();
    tab2.awaitClose();
    bob.awaitEvent("alice", x(1));
    List<ConnectResponse> later = bob.drainFor(QUIET);
    assertThat(Events.nulls("alice", later)).isZero();
    assertThat(later).noneMatch(ConnectResponse::hasMemberLeft);
  }

  @Test
  @DisplayName("PRS-SES-4/PRS-SES-5: a tab with no state closing while another tab lives yields CLEARED, never LEFT")
  void lastStatefulTabClosingYieldsCleared() {
    TestSession tab1 = fx.open("r", "alice");
    TestSession tab2 = fx.open("r", "alice");
    tab2.send(update(2));
    bob.awaitEvent("alice", x(2));
    tab2.cancel();
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_CLEARED));
    List<ConnectResponse> later = bob.drainFor(QUIET);
    assertThat(Events.about("alice", later)).isEmpty();
    assertThat(later).noneMatch(ConnectResponse::hasMemberLeft);
    tab1.halfClose();
    ConnectResponse left = bob.await("member_left", ConnectResponse::hasMemberLeft);
    assertThat(left.getMemberLeft().getReason()).isEqualTo(NullReason.NULL_REASON_LEFT);
    assertThat(Events.nulls("alice", bob.drainFor(QUIET))).as("no second null after CLEARED").isZero();
  }

  @Test
  @DisplayName("PRS-SES-4: the last tab closing yields exactly one LEFT null, then member_left")
  void lastTabYieldsLeft() {
    TestSession tab1 = fx.open("r", "alice");
    TestSession tab2 = fx.open("r", "alice");
    tab1.send(update(1));
    // Tabs use separate connections, so only the observed order is an order: wait before the second update.
    bob.awaitEvent("alice", x(1));
    tab2.send(update(2));
    bob.awaitEvent("alice", x(2));
    tab1.halfClose();
    tab1.awaitClose();
    List<ConnectResponse> afterFirst = new ArrayList<>(bob.drainFor(QUIET));
    assertThat(Events.nulls("alice", afterFirst)).isZero();
    tab2.halfClose();
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));
    bob.await("member_left", ConnectResponse::hasMemberLeft);
    assertThat(Events.nulls("alice", bob.drainFor(QUIET))).isZero();
  }

  @Test
  @DisplayName("PRS-STA-4: clearing one tab shows another tab's state; clearing the last yields CLEARED")
  void clearFallsBackToOtherTab() {
    TestSession tab1 = fx.open("r", "alice");
    TestSession tab2 = fx.open("r", "alice");
    tab1.send(update(1));
    bob.awaitEvent("alice", x(1));
    tab2.send(update(2));
    bob.awaitEvent("alice", x(2));
    tab2.send(clear());
    bob.awaitEvent("alice", x(1));
    tab1.send(clear());
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_CLEARED));
  }
}
