package dev.presence.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.protocol.v1.ConnectRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PRS-THC-6 as the application sees it: a typed error from {@code update}, and nothing on the wire. */
@Covers("PRS-THC-6")
class StateValidationTest {

  private static void rejected(Runnable update, String reason) {
    assertThatThrownBy(update::run).isInstanceOfSatisfying(PresenceException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.isFatal()).isFalse();
    });
  }

  @Test
  void aStateTheServerWouldRefuseIsReportedAndNotSent() {
    try (Harness h = new Harness()) {
      h.client.connect();
      Conn conn = h.server.awaitConnection();
      conn.open(FakePresenceServer.defaultLimits().setMaxStateBytes(8192).setMaxStateDepth(3).build(), "me", "me");
      h.client.presence().update(Map.of("a", 1));
      conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);

      rejected(() -> h.client.presence().update(Map.of("b", "x".repeat(9000))), "STATE_TOO_LARGE");
      rejected(() -> h.client.presence().update(Map.of("a", Map.of("b", Map.of("c", Map.of())))), "STATE_TOO_DEEP");
      Struct nan = Struct.newBuilder().putFields("x", Value.newBuilder().setNumberValue(Double.NaN).build()).build();
      rejected(() -> h.client.presence().update(nan), "INVALID_STATE");

      conn.barrier();
      assertThat(conn.unread()).as("frames after the rejected updates").isEmpty();
      assertThat(h.client.presence().getState()).isEqualTo(State.of(Map.of("a", 1)));
      assertThat(h.client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }
  }
}
