package dev.presence.bench.driver.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import dev.presence.bench.driver.CursorState;
import dev.presence.bench.support.Recorder;
import dev.presence.bench.support.Recorder.State;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private final FrameDecoder decoder = new FrameDecoder();
  private final Recorder receiver = new Recorder();

  @Test
  void readsUserSeqAndTimestampOfEveryStateInOrder() throws IOException {
    byte[] frame = batch(
        event("u7", state(7, 3, 123_456_789_012_345L)),
        event("u0", state(0, 0, 1)),
        event("u2147483647", state(1, 9_007_199_254_740_991L, 42)));

    assertThat(decoder.decodePresence(frame, receiver)).isTrue();

    assertThat(receiver.states()).containsExactly(
        new State(7, 3, 123_456_789_012_345L),
        new State(0, 0, 1),
        new State(2147483647, 9_007_199_254_740_991L, 42));
  }

  @Test
  void skipsNullsForeignUserIdsAndStatesWithoutTheMeasuredNumbers() throws IOException {
    byte[] frame = batch(
        PresenceEvent.newBuilder().setUserId("u1").setNullReason(NullReason.NULL_REASON_LEFT).build(),
        event("alice", state(1, 1, 1)),
        event("u", state(1, 1, 1)),
        event("u12a", state(1, 1, 1)),
        event("u99999999999", state(1, 1, 1)),
        event("u3", Struct.newBuilder().putFields("seq", number(1)).build()),
        event("u4", Struct.newBuilder().putFields("seq", number(1))
            .putFields("ts", Value.newBuilder().setStringValue("soon").build()).build()),
        event("u5", state(5, 6, 7)));

    assertThat(decoder.decodePresence(frame, receiver)).isTrue();

    assertThat(receiver.states()).containsExactly(new State(5, 6, 7));
  }

  @Test
  void ignoresOtherKeysSubscriptionTagsAndUnknownFields() throws IOException {
    Struct rich = state(8, 2, 5).toBuilder()
        .putFields("label", Value.newBuilder().setStringValue("seq").build())
        .putFields("tsx", number(99))
        .build();
    PresenceEvent tagged = event("u8", rich).toBuilder()
        .addSubscriptionIds("all")
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build())
        .build();

    assertThat(decoder.decodePresence(batch(tagged), receiver)).isTrue();

    assertThat(receiver.states()).containsExactly(new State(8, 2, 5));
  }

  @Test
  void readsHandBuiltBytesWithTheMapEntryValueBeforeItsKey() throws IOException {
    byte[] event = concat(
        bytes(0x0a, 2, 'u', '5'),
        bytes(0x12, 35),
        // Struct.fields entry "seq" = 4.0, value first.
        bytes(0x0a, 16, 0x12, 9, 0x11), doubleBytes(4.0), bytes(0x0a, 3, 's', 'e', 'q'),
        // Struct.fields entry "ts" = 16.0, key first.
        bytes(0x0a, 15, 0x0a, 2, 't', 's', 0x12, 9, 0x11), doubleBytes(16.0));
    byte[] frame = concat(bytes(0x12, event.length + 2, 0x0a, event.length), event);

    assertThat(decoder.decodePresence(frame, receiver)).isTrue();

    assertThat(receiver.states()).containsExactly(new State(5, 4, 16));
  }

  @Test
  void leavesOtherFramesAlone() throws IOException {
    byte[] opened = ConnectResponse.newBuilder().setOpened(Opened.newBuilder().setSessionId("s")).build().toByteArray();

    assertThat(decoder.decodePresence(opened, receiver)).isFalse();
    assertThat(receiver.states()).isEmpty();
  }

  @Test
  void rejectsTruncatedFrames() {
    byte[] frame = batch(event("u1", state(1, 1, 1)));
    byte[] truncated = Arrays.copyOf(frame, frame.length - 5);

    assertThatThrownBy(() -> decoder.decodePresence(truncated, receiver)).isInstanceOf(IOException.class);
  }

  @Test
  void readsWhatTheEncoderWrites() throws IOException {
    byte[] event = StateEncoder.presenceEvent(new CursorState(42, 17, 987_654_321_000L, 640.5, 480.25));
    byte[] frame = concat(bytes(0x12, event.length + 2, 0x0a, event.length), event);

    assertThat(decoder.decodePresence(frame, receiver)).isTrue();

    assertThat(receiver.states()).containsExactly(new State(42, 17, 987_654_321_000L));
  }

  static byte[] batch(PresenceEvent... events) {
    return ConnectResponse.newBuilder()
        .setPresence(PresenceBatch.newBuilder().addAllEvents(List.of(events)))
        .build()
        .toByteArray();
  }

  static PresenceEvent event(String userId, Struct state) {
    return PresenceEvent.newBuilder().setUserId(userId).setState(state).build();
  }

  static Struct state(double x, long seq, long ts) {
    return Struct.newBuilder()
        .putFields("x", number(x))
        .putFields("y", number(2))
        .putFields("seq", number(seq))
        .putFields("ts", number(ts))
        .build();
  }

  static Value number(double v) {
    return Value.newBuilder().setNumberValue(v).build();
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static byte[] doubleBytes(double v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
