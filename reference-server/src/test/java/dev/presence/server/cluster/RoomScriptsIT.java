package dev.presence.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.User;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.support.RedisProcess;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The room scripts on a real Redis: how the room remembers the seats their nodes ended, which is what keeps a
 * node's commands correct when Redis runs them out of the order they were sent in.
 */
class RoomScriptsIT {
  /** The room remembers an end for the leave detection time. */
  private static final int LEAVE_DETECTION_MILLIS = 1000;
  private static final User ALICE = User.newBuilder().setUserId("alice").build();
  private static final EncodedState STATE = EncodedState.of(Struct.newBuilder()
      .putFields("x", Value.newBuilder().setNumberValue(1).build())
      .putFields("tool", Value.newBuilder().setStringValue("pen").build()).build());

  private RedisProcess redis;
  private RedisCluster node;
  private final RoomKeys keys = new RoomKeys("r");

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
    node = RedisCluster.connect(java.util.List.of(redis.uri()),
        ServerConfig.builder().leaveDetectionMillis(LEAVE_DETECTION_MILLIS).build());
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void anEndedSeatCannotBeRestoredAndSnapshotsSayHowItEnded() throws Exception {
    String seat = node.id() + "/1";
    assertThat(await(node.open(keys, seat, ALICE, false, STATE)).refused()).isFalse();

    long endSeq = await(node.end(keys, seat, NullReason.NULL_REASON_LEFT));

    assertThat(endSeq).isPositive();
    assertThat(await(node.open(keys, seat, ALICE, true, STATE)).sequence())
        .as("a restore Redis runs after the seat's end").isEqualTo(-3);
    Snapshot snapshot = await(node.snapshot(keys));
    assertThat(snapshot.seats()).isEmpty();
    assertThat(snapshot.ended()).containsExactly(java.util.Map.entry(seat, NullReason.NULL_REASON_LEFT));
  }

  @Test
  void aStateReadBackIsTheStateSet() throws Exception {
    String seat = node.id() + "/5";
    await(node.open(keys, seat, ALICE, false, null));
    EncodedState moved = EncodedState.of(STATE.struct().toBuilder()
        .putFields("x", Value.newBuilder().setNumberValue(2).build()).build());
    assertThat(await(node.state(keys, seat, moved))).isPositive();

    assertThat(await(node.snapshot(keys)).seats()).singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo(moved.struct()));
  }

  @Test
  void theEndOfASeatRedisNeverHeldIsRememberedToo() throws Exception {
    String other = node.id() + "/2";
    await(node.open(keys, other, ALICE, false, null));
    String lost = node.id() + "/3";

    await(node.end(keys, lost, NullReason.NULL_REASON_REVOKED));

    Snapshot snapshot = await(node.snapshot(keys));
    assertThat(snapshot.seats()).extracting(SeatRecord::seat).containsExactly(other);
    assertThat(snapshot.ended()).containsEntry(lost, NullReason.NULL_REASON_REVOKED);
  }

  @Test
  void theRoomForgetsAnEndAfterTheLeaveDetectionTime() throws Exception {
    String seat = node.id() + "/4";
    await(node.open(keys, seat, ALICE, false, STATE));
    long endedAt = System.nanoTime();
    await(node.end(keys, seat, NullReason.NULL_REASON_LEFT));

    // The first snapshot after the lifetime (on Redis's clock) forgets it; two more lifetimes allow for scheduling.
    long deadline = endedAt + TimeUnit.MILLISECONDS.toNanos(3L * LEAVE_DETECTION_MILLIS);
    Snapshot snapshot = await(node.snapshot(keys));
    while (!snapshot.ended().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      snapshot = await(node.snapshot(keys));
    }

    assertThat(snapshot.ended()).as("ended seats %s ms after the end",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endedAt)).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endedAt))
        .as("not forgotten before its time").isGreaterThanOrEqualTo(LEAVE_DETECTION_MILLIS);
    assertThat(await(node.open(keys, seat, ALICE, true, STATE)).refused()).isFalse();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
  }
}
