package dev.presence.bench.driver.frames;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.bench.driver.CursorState;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.PresenceEvent;
import org.junit.jupiter.api.Test;

class StateEncoderTest {
  private static final CursorState STATE = new CursorState(1234, 56, 98_765_432_101_234L, 640.5, -12.25);

  @Test
  void updateStateIsTheProtobufMessageTheServerParses() throws Exception {
    byte[] bytes = StateEncoder.updateState(STATE);

    ConnectRequest request = ConnectRequest.parseFrom(bytes);

    assertThat(request.getFrameCase()).isEqualTo(ConnectRequest.FrameCase.UPDATE_STATE);
    assertThat(request.getRequestId()).isZero();
    assertThat(request.getUpdateState().getState()).isEqualTo(expectedStruct());
    assertThat(request.getUpdateState().getState().getSerializedSize()).isEqualTo(StateEncoder.STRUCT_BYTES);
    assertThat(bytes).hasSize(request.getSerializedSize());
  }

  @Test
  void presenceEventCarriesTheUserIdAndTheSameStruct() throws Exception {
    byte[] bytes = StateEncoder.presenceEvent(STATE);

    PresenceEvent event = PresenceEvent.parseFrom(bytes);

    assertThat(event.getUserId()).isEqualTo("u1234");
    assertThat(event.getState()).isEqualTo(expectedStruct());
    assertThat(event.getSubscriptionIdsCount()).isZero();
    assertThat(bytes).hasSize(event.getSerializedSize());
  }

  @Test
  void aStateIsAboutSixtyFourBytesOnTheWire() {
    int struct = StateEncoder.STRUCT_BYTES;
    int request = StateEncoder.updateState(STATE).length;
    int event = StateEncoder.presenceEvent(STATE).length;
    System.out.printf("encoded sizes: Struct %d B, UpdateState request %d B, PresenceEvent for u1234 %d B%n",
        struct, request, event);

    assertThat(struct).isBetween(56, 72);
    assertThat(request).isEqualTo(struct + 4);
    assertThat(event).isEqualTo(struct + 2 + 2 + "u1234".length());
  }

  private static Struct expectedStruct() {
    return Struct.newBuilder()
        .putFields("x", number(640.5))
        .putFields("y", number(-12.25))
        .putFields("seq", number(56))
        .putFields("ts", number(98_765_432_101_234L))
        .build();
  }

  private static Value number(double v) {
    return Value.newBuilder().setNumberValue(v).build();
  }
}
