package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.UpdateState;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** State validation (PRS-STA-*). */
class StateIT {
  private static final Duration QUIET = Duration.ofMillis(400);
  private ServerFixture fx;
  private TestSession alice;
  private TestSession bob;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b.maxStateBytes(1024));
    alice = fx.open("r", "alice");
    bob = fx.openWatchingAll("r", "bob");
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("PRS-STA-3: an oversized state gets STATE_TOO_LARGE, the previous state stays, others see nothing")
  void oversizedStateKeepsPrevious() {
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    Struct big = Struct.newBuilder()
        .putFields("blob", Value.newBuilder().setStringValue("y".repeat(2000)).build()).build();
    alice.send(update(big).toBuilder().setRequestId(77).build());
    ConnectResponse error = alice.await("error", ConnectResponse::hasError);
    assertThat(error.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_STATE_TOO_LARGE);
    assertThat(error.getError().getRequestId()).isEqualTo(77);
    assertThat(error.getError().getMessage()).doesNotContain("yyyy");
    assertThat(Events.about("alice", bob.drainFor(QUIET))).isEmpty();
    TestSession carol = fx.open("r", "carol");
    carol.send(subscribe(1, "all", all()));
    assertThat(carol.awaitEvent("alice", e -> true).getState().getFieldsOrThrow("x").getNumberValue()).isEqualTo(1);
  }

  @Test
  @DisplayName("PRS-STA-2: update_state without a state gets STATE_MISSING; an empty object is a valid state")
  void missingAndEmptyState() {
    alice.send(ConnectRequest.newBuilder().setRequestId(3).setUpdateState(UpdateState.getDefaultInstance()).build());
    ConnectResponse error = alice.await("error", ConnectResponse::hasError);
    assertThat(error.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_STATE_MISSING);
    assertThat(error.getError().getRequestId()).isEqualTo(3);
    alice.send(update(Struct.getDefaultInstance()));
    assertThat(bob.awaitEvent("alice", e -> true).hasState()).isTrue();
  }

  @Test
  @DisplayName("PRS-STA-1/PRS-STA-5: states are delivered exactly as set, replaced whole")
  void deliveredExactly() {
    Struct rich = Struct.newBuilder()
        .putFields("cursor", Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("x", Value.newBuilder().setNumberValue(1.5).build())
            .putFields("label", Value.newBuilder().setStringValue("héllo ✓").build())).build())
        .putFields("typing", Value.newBuilder().setBoolValue(true).build())
        .putFields("sel", Value.newBuilder().setNullValueValue(0).build())
        .build();
    alice.send(update(rich));
    assertThat(bob.awaitEvent("alice", e -> true).getState()).isEqualTo(rich);
    Struct replaced = Struct.newBuilder().putFields("typing", Value.newBuilder().setBoolValue(false).build()).build();
    alice.send(update(replaced));
    assertThat(bob.awaitEvent("alice", e -> e.getState().equals(replaced)).getState().getFieldsCount()).isEqualTo(1);
  }
}
