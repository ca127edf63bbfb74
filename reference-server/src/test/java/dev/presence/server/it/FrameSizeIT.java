package dev.presence.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.server.support.Frames;
import dev.presence.server.support.TestSession;
import dev.presence.server.support.WithMeteredServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * PRS-TRN-6 over real HTTP/2: gRPC's own deframer would reset a stream whose message is far above its limit
 * (CANCELLED, no details); the server lets messages up to 16 times max_inbound_frame_bytes through to answer
 * them with RESOURCE_EXHAUSTED / FRAME_TOO_LARGE.
 */
class FrameSizeIT extends WithMeteredServer {
  private static final int LIMIT = 65_536;

  private static ConnectRequest updateOfSize(int bytes) {
    return ofSize(bytes, pad -> Frames.update(Struct.newBuilder()
        .putFields("pad", Value.newBuilder().setStringValue(pad).build()).build()));
  }

  /** @return the frame, padded by one string so its encoding is exactly {@code bytes} long */
  private static ConnectRequest ofSize(int bytes, java.util.function.Function<String, ConnectRequest> withPadding) {
    int pad = bytes;
    while (true) {
      ConnectRequest frame = withPadding.apply("q".repeat(Math.max(0, pad)));
      int size = frame.getSerializedSize();
      if (size == bytes) {
        return frame;
      }
      pad += bytes - size;
    }
  }

  private static void assertFrameTooLarge(TestSession s) {
    ErrorInfo info = s.awaitErrorInfo();
    assertThat(s.awaitClose().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(info.getDomain()).isEqualTo("presence.v1");
    assertThat(info.getReason()).isEqualTo("FRAME_TOO_LARGE");
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {LIMIT + 1, 2 * LIMIT + 1, 200_000, 10 * LIMIT, 16 * LIMIT})
  @DisplayName("PRS-TRN-6: an oversized frame after open ends the call RESOURCE_EXHAUSTED / FRAME_TOO_LARGE, other calls on the connection go on")
  void afterOpen(int bytes) throws Exception {
    ManagedChannel channel = fx.channel();
    TestSession bystander = TestSession.open(channel, "r", "bystander");
    TestSession s = TestSession.open(channel, "r", "alice");
    s.send(updateOfSize(bytes));
    assertFrameTooLarge(s);
    bystander.sync();
    assertThat(fx.scrape("/metrics")
        .value("presence_errors_fatal_total", Map.of("reason", "FRAME_TOO_LARGE"))).isEqualTo(1.0);
  }

  @Test
  @DisplayName("PRS-TRN-6/PRS-OPN-9: an oversized first frame ends the call FRAME_TOO_LARGE, even when it is not an open")
  void beforeOpen() throws Exception {
    TestSession s = TestSession.connect(fx.channel());
    s.send(updateOfSize(10 * LIMIT));
    assertFrameTooLarge(s);
    assertThat(s.history()).isEmpty();
    TestSession open = TestSession.connect(fx.channel());
    open.send(ConnectRequest.newBuilder().setOpen(Frames.open("r", "bob").getOpen().toBuilder()
        .setClientAgent("z".repeat(2 * LIMIT))).build());
    assertFrameTooLarge(open);
    assertThat(fx.scrape("/metrics")
        .value("presence_errors_fatal_total", Map.of("reason", "FRAME_TOO_LARGE"))).isEqualTo(2.0);
  }

  @Test
  @DisplayName("PRS-TRN-6: frames of exactly max_inbound_frame_bytes are accepted, before and after open")
  void atTheLimit() {
    ConnectRequest padded = ofSize(LIMIT, pad -> ConnectRequest.newBuilder()
        .setOpen(Frames.open("r", "carol").getOpen().toBuilder().setClientAgent(pad)).build());
    TestSession s = TestSession.connect(fx.channel());
    s.send(padded);
    assertThat(s.next().hasOpened()).isTrue();
    // Largest accepted frame, but its state is far above max_state_bytes: a ProtocolError, not a fatal.
    s.send(updateOfSize(LIMIT));
    assertThat(s.await("error", ConnectResponse::hasError).getError().getReason().name())
        .isEqualTo("ERROR_REASON_STATE_TOO_LARGE");
    s.sync();
  }
}
