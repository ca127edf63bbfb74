package dev.presence.conformance.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.conformance.driver.Endpoint;
import dev.presence.conformance.history.Binding;
import org.junit.jupiter.api.Test;

/** {@code --target} lists of gRPC addresses and WebSocket URLs. */
class TargetsTest {

  @Test
  void aMixedListKeepsItsOrderAndBindings() throws Exception {
    try (Targets t = Targets.parse("localhost:50051, ws://localhost:8080/presence.v1,wss://example.com/app/presence.v1",
        false, null)) {
      assertThat(t.endpoints().all()).extracting(Endpoint::binding)
          .containsExactly(Binding.GRPC, Binding.WEBSOCKET, Binding.WEBSOCKET);
      assertThat(t.endpoints().all()).extracting(Endpoint::description).containsExactly("localhost:50051",
          "ws://localhost:8080/presence.v1", "wss://example.com/app/presence.v1");
      assertThat(t.endpoints().forSession(4).binding()).isEqualTo(Binding.WEBSOCKET);
      assertThat(t.endpoints().all().get(2).address().orElseThrow().getPort()).isEqualTo(443);
    }
  }

  @Test
  void aUrlWithoutPathGetsTheProtocolsPath() throws Exception {
    try (Targets t = Targets.parse("ws://localhost:8080", false, null)) {
      assertThat(t.endpoints().all().get(0).description()).isEqualTo("ws://localhost:8080/presence.v1");
    }
  }

  @Test
  void badEntriesAreRefusedWithWhatWasWrong() {
    assertThatThrownBy(() -> Targets.parse("ws://localhost:8080/other", false, null))
        .hasMessageContaining("/presence.v1");
    assertThatThrownBy(() -> Targets.parse("http://localhost:8080", false, null))
        .hasMessageContaining("neither HOST:PORT");
    assertThatThrownBy(() -> Targets.parse("localhost:50051,", false, null)).hasMessageContaining("empty entry");
    assertThatThrownBy(() -> Targets.parse("localhost", false, null)).hasMessageContaining("HOST:PORT");
  }
}
