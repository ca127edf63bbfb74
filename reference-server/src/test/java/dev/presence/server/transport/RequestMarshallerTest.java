package dev.presence.server.transport;

import static dev.presence.server.support.WireBytes.PLACEHOLDER;
import static dev.presence.server.support.WireBytes.withInvalidUtf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Open;
import dev.presence.server.internal.UndecodableFrame;
import dev.presence.server.support.Frames;
import dev.presence.server.support.WireBytes;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RequestMarshallerTest {
  private static final int MAX_FRAME = 65_536;
  private static final int MAX_DEPTH = 32;
  private final RequestMarshaller marshaller = new RequestMarshaller(new RequestDecoder(MAX_FRAME, MAX_DEPTH));

  private ConnectRequest parse(byte[] bytes) {
    return marshaller.parse(new KnownLengthStream(bytes, bytes.length));
  }

  /** {"a":{"a":...{"a":1}}} with the given number of Structs. */
  static Struct nestedStructs(int depth) {
    Struct s = Frames.state("a", 1);
    for (int i = 1; i < depth; i++) {
      s = Struct.newBuilder().putFields("a", Value.newBuilder().setStructValue(s).build()).build();
    }
    return s;
  }

  @Test
  @DisplayName("A valid frame parses as itself")
  void validFrame() {
    ConnectRequest frame = Frames.subscribe(3, "s", Frames.all());
    assertThat(parse(frame.toByteArray())).isEqualTo(frame);
  }

  @Test
  @DisplayName("PRS-TRN-9: bytes that are not protobuf become the MALFORMED stand-in")
  void garbageIsMalformed() {
    byte[] garbage = new byte[5000];
    garbage[0] = 0x0F; // wire type 7 does not exist
    assertThat(parse(garbage)).isSameAs(UndecodableFrame.MALFORMED);
    byte[] truncated = Frames.subscribe(3, "sub", Frames.all()).toByteArray();
    assertThat(parse(java.util.Arrays.copyOf(truncated, truncated.length - 2))).isSameAs(UndecodableFrame.MALFORMED);
  }

  @Test
  @DisplayName("PRS-TRN-9: an empty message is a frame of no kind, not a stand-in a client could forge")
  void emptyFrameIsNotAStandIn() {
    ConnectRequest parsed = parse(new byte[0]);
    assertThat(parsed.getFrameCase()).isEqualTo(ConnectRequest.FrameCase.FRAME_NOT_SET);
    assertThat(parsed).isNotSameAs(UndecodableFrame.MALFORMED).isNotSameAs(UndecodableFrame.OVERSIZED);
  }

  @Test
  @DisplayName("PRS-TRN-6: a frame longer than the limit becomes OVERSIZED without being read")
  void oversizedIsNotRead() {
    byte[] bytes = new byte[MAX_FRAME + 1];
    KnownLengthStream stream = new KnownLengthStream(bytes, bytes.length);
    assertThat(marshaller.parse(stream)).isSameAs(UndecodableFrame.OVERSIZED);
    assertThat(stream.available()).isEqualTo(bytes.length);
    assertThat(marshaller.parse(new ByteArrayInputStream(bytes))).isSameAs(UndecodableFrame.OVERSIZED);
    assertThat(parse(new byte[MAX_FRAME]).getFrameCase()).isEqualTo(ConnectRequest.FrameCase.FRAME_NOT_SET);
  }

  @Test
  @DisplayName("A stream of known length is read to its end, and one that holds more than it claims is refused")
  void knownLengthStreams() {
    ConnectRequest frame = Frames.subscribe(3, "s", Frames.all());
    byte[] bytes = frame.toByteArray();
    assertThat(parse(bytes)).isEqualTo(frame);
    assertThatThrownBy(() -> marshaller.parse(new KnownLengthStream(bytes, bytes.length - 1)))
        .hasRootCauseMessage("a message of " + (bytes.length - 1) + " bytes had more bytes");
  }

  @Test
  @DisplayName("PRS-STA-7: a state of max_state_depth nested Structs or ListValues parses whole, beyond protobuf's default recursion limit")
  void deepestAllowedStateParses() {
    ConnectRequest structs = Frames.update(nestedStructs(MAX_DEPTH));
    assertThat(parse(structs.toByteArray())).isEqualTo(structs);
    Value v = Value.newBuilder().setNumberValue(1).build();
    for (int i = 1; i < MAX_DEPTH; i++) {
      v = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(v)).build();
    }
    ConnectRequest lists = Frames.update(Struct.newBuilder().putFields("a", v).build());
    assertThat(parse(lists.toByteArray())).isEqualTo(lists);
  }

  @Test
  @DisplayName("PRS-STA-7: a state nesting thousands of levels decodes, cut one level below the limit, without overflowing the stack")
  void thousandsOfLevelsAreCut() {
    byte[] bytes = WireBytes.updateStateWithNestedLists(7, 8_000);
    assertThat(bytes.length).isLessThan(MAX_FRAME);
    ConnectRequest parsed = parse(bytes);
    assertThat(parsed.getRequestId()).isEqualTo(7);
    assertThat(depth(parsed.getUpdateState().getState().getFieldsOrThrow("a"), 1)).isEqualTo(MAX_DEPTH + 1);
  }

  private static int depth(Value v, int container) {
    if (v.hasListValue()) {
      return v.getListValue().getValuesCount() == 0 ? container + 1 : depth(v.getListValue().getValues(0), container + 1);
    }
    return container;
  }

  @Test
  @DisplayName("PRS-IDN-7: invalid UTF-8 in room_id or dev_user_id decodes as empty; in display name and agent as U+FFFD")
  void openFields() {
    Open.Builder open = Frames.open("room", "alice").getOpen().toBuilder();
    assertThat(parse(withInvalidUtf8(ConnectRequest.newBuilder().setOpen(open.clone().setRoomId(PLACEHOLDER)).build()))
        .getOpen()).isEqualTo(open.clone().setRoomId("").build());
    assertThat(parse(withInvalidUtf8(ConnectRequest.newBuilder().setOpen(open.clone().setDevUserId(PLACEHOLDER)).build()))
        .getOpen()).isEqualTo(open.clone().setDevUserId("").build());
    assertThat(parse(withInvalidUtf8(ConnectRequest.newBuilder()
        .setOpen(open.clone().setDevDisplayName("A" + PLACEHOLDER)).build())).getOpen().getDevDisplayName())
        .isEqualTo("A\uFFFD\uFFFD\uFFFD\uFFFD");
    assertThat(parse(withInvalidUtf8(ConnectRequest.newBuilder().setOpen(open.clone().setClientAgent(PLACEHOLDER))
        .build())).getOpen().getRoomId()).isEqualTo("room");
  }

  @Test
  @DisplayName("PRS-IDN-7: invalid UTF-8 in ids of subscribe, unsubscribe, follow and unfollow keeps the frame and its request id")
  void identifierFields() {
    ConnectRequest sub = parse(withInvalidUtf8(Frames.subscribe(4, PLACEHOLDER, Frames.all())));
    assertThat(sub.getRequestId()).isEqualTo(4);
    assertThat(sub.getSubscribe().getSubscriptionId()).contains("\uFFFD");
    assertThat(sub.getSubscribe().getTarget().hasAllUsers()).isTrue();
    ConnectRequest target = parse(withInvalidUtf8(Frames.subscribe(5, "s", Frames.user(PLACEHOLDER))));
    assertThat(target.getSubscribe().getTarget().getKindCase()).isEqualTo(dev.presence.protocol.v1.SyncTarget.KindCase.USER_ID);
    assertThat(target.getSubscribe().getTarget().getUserId()).isEmpty();
    assertThat(parse(withInvalidUtf8(Frames.unsubscribe(6, PLACEHOLDER))).getUnsubscribe().getSubscriptionId())
        .contains("\uFFFD");
    ConnectRequest follow = parse(withInvalidUtf8(Frames.follow(7, PLACEHOLDER)));
    assertThat(follow.hasFollow()).isTrue();
    assertThat(follow.getFollow().getUserId()).isEmpty();
    assertThat(parse(withInvalidUtf8(Frames.unfollow(8, PLACEHOLDER))).getUnfollow().getUserId()).isEmpty();
  }

  @Test
  @DisplayName("PRS-IDN-7/PRS-STA-8: invalid UTF-8 in a state key or string decodes to lone surrogates, keeping distinct keys apart")
  void stateStrings() {
    Struct state = Struct.newBuilder()
        .putFields(PLACEHOLDER, Value.newBuilder().setNumberValue(1).build())
        .putFields("k", Value.newBuilder().setStringValue("ok").build())
        .build();
    Struct parsed = parse(withInvalidUtf8(Frames.update(state))).getUpdateState().getState();
    assertThat(parsed.getFieldsMap()).containsOnlyKeys("\uDC80\uDCC0\uDC80\uDCFF", "k");
    Struct strings = Frames.state("k", 1).toBuilder()
        .putFields("s", Value.newBuilder().setStringValue("x" + PLACEHOLDER).build()).build();
    assertThat(parse(withInvalidUtf8(Frames.update(strings))).getUpdateState().getState()
        .getFieldsOrThrow("s").getStringValue()).isEqualTo("x\uDC80\uDCC0\uDC80\uDCFF");
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
