package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.testing.Covers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PRS-RCN-2's "absent from the new snapshot" for one subscription. */
@Covers("PRS-RCN-2")
class SnapshotDiffTest {

  @Test
  void usersHeldButNotInTheNewSnapshotAreGone() {
    SnapshotDiff diff = new SnapshotDiff();
    diff.start();
    diff.saw("alice");
    diff.saw("dave");
    assertThat(diff.finish(List.of("alice", "bob", "carol"))).containsExactly("bob", "carol");
    assertThat(diff.isRunning()).isFalse();
  }

  @Test
  void withoutAReconnectNothingIsCompared() {
    SnapshotDiff diff = new SnapshotDiff();
    diff.saw("alice");
    assertThat(diff.finish(List.of("bob"))).isEmpty();
  }

  @Test
  void aSecondReconnectForgetsWhatTheFirstSnapshotMentioned() {
    SnapshotDiff diff = new SnapshotDiff();
    diff.start();
    diff.saw("alice");
    diff.start();
    assertThat(diff.finish(List.of("alice"))).containsExactly("alice");
  }
}
