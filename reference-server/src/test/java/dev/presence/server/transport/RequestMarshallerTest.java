package dev.presence.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.server.support.Frames;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RequestMarshallerTest {
  @Test
  @DisplayName("A valid frame parses as itself")
  void validFrame() throws Exception {
    ConnectRequest frame = Frames.subscribe(3, "s", Frames.all());
    ConnectRequest parsed = RequestMarshaller.INSTANCE.parse(RequestMarshaller.INSTANCE.stream(frame));
    assertThat(parsed).isEqualTo(frame);
  }

  @Test
  @DisplayName("PRS-ERR-4/PRS-TRN-4: bytes that are not protobuf become a frame of no kind that keeps its size")
  void garbageBecomesAFrameOfNoKind() {
    byte[] garbage = new byte[5000];
    garbage[0] = 0x0F; // wire type 7 does not exist
    ConnectRequest parsed = RequestMarshaller.INSTANCE.parse(new ByteArrayInputStream(garbage));
    assertThat(parsed.getFrameCase()).isEqualTo(ConnectRequest.FrameCase.FRAME_NOT_SET);
    assertThat(parsed.getRequestId()).isZero();
    assertThat(parsed.getSerializedSize()).isGreaterThanOrEqualTo(garbage.length);
  }

  @Test
  @DisplayName("A stream of known length is read to its end, and one that holds more than it claims is refused")
  void knownLengthStreams() throws Exception {
    ConnectRequest frame = Frames.subscribe(3, "s", Frames.all());
    byte[] bytes = frame.toByteArray();
    assertThat(RequestMarshaller.INSTANCE.parse(new KnownLengthStream(bytes, bytes.length))).isEqualTo(frame);
    assertThatThrownBy(() -> RequestMarshaller.INSTANCE.parse(new KnownLengthStream(bytes, bytes.length - 1)))
        .hasRootCauseMessage("a message of " + (bytes.length - 1) + " bytes had more bytes");
  }

  /** Like gRPC's deframed messages, whose available() is their length; this one may under-report it. */
  private static final class KnownLengthStream extends ByteArrayInputStream implements KnownLength {
    private final int claimed;

    KnownLengthStream(byte[] bytes, int claimed) {
      super(bytes);
      this.claimed = claimed;
    }

    @Override
    public synchronized int available() {
      return Math.min(claimed, super.available());
    }
  }
}
