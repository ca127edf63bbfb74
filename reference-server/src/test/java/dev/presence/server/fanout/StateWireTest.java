package dev.presence.server.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.PresenceEvent;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The hand-written state encoding must be byte for byte what protobuf writes, for any state. */
class StateWireTest {
  private static final long SEED = 0x5747_4154_4557_4952L;
  private static final int CASES = 3000;

  @Test
  @DisplayName("Sizes and bytes equal protobuf's for generated states, smallest first")
  void matchesProtobufForGeneratedStates() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < CASES; i++) {
      // Budgets grow with the case number, so the first failure is one of the smallest states that fails.
      Struct state = struct(random, 1 + i / 100, 1 + i / 600);
      String context = "seed " + SEED + ", case " + i + ", state " + state;
      assertThat(StateWire.size(state)).as(context).isEqualTo(state.getSerializedSize());
      assertThat(fieldsOf(state)).as(context).isEqualTo(state.toByteArray());
      assertThat(LiveEvent.state("u" + i, state).encoded()).as(context)
          .isEqualTo(PresenceEvent.newBuilder().setUserId("u" + i).setState(state).build().toByteArray());
    }
  }

  @Test
  @DisplayName("Edge cases: empty state, empty key and value, a value without kind, unknown fields, no user id")
  void matchesProtobufAtTheEdges() throws IOException {
    Struct unknown = Struct.newBuilder().putFields("a", Value.newBuilder().setBoolValue(true).build())
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(9, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
            .build())
        .build();
    Struct[] states = {
        Struct.getDefaultInstance(),
        Struct.newBuilder().putFields("", Value.newBuilder().setStringValue("").build()).build(),
        Struct.newBuilder().putFields("kindless", Value.getDefaultInstance()).build(),
        Struct.newBuilder().putFields("ü→\uD83D\uDE00", Value.newBuilder().setNumberValue(-0.0).build()).build(),
        unknown,
    };
    for (Struct state : states) {
      assertThat(StateWire.size(state)).as("%s", state).isEqualTo(state.getSerializedSize());
      assertThat(fieldsOf(state)).as("%s", state).isEqualTo(state.toByteArray());
      assertThat(LiveEvent.state("", state).encoded()).as("%s", state)
          .isEqualTo(PresenceEvent.newBuilder().setState(state).build().toByteArray());
    }
  }

  private static byte[] fieldsOf(Struct state) throws IOException {
    byte[] out = new byte[StateWire.size(state)];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    StateWire.writeFields(state, cos);
    cos.checkNoSpaceLeft();
    return out;
  }

  private static Struct struct(SplittableRandom random, int width, int depth) {
    Struct.Builder b = Struct.newBuilder();
    int keys = random.nextInt(width + 1);
    for (int k = 0; k < keys; k++) {
      b.putFields(key(random), value(random, width, depth));
    }
    return b.build();
  }

  private static Value value(SplittableRandom random, int width, int depth) {
    int kind = random.nextInt(depth > 1 ? 7 : 5);
    switch (kind) {
      case 0:
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
      case 1:
        return Value.newBuilder().setNumberValue(random.nextBoolean() ? random.nextInt(1000) : random.nextDouble() * 1e9)
            .build();
      case 2:
        return Value.newBuilder().setStringValue(key(random).repeat(1 + random.nextInt(width))).build();
      case 3:
        return Value.newBuilder().setBoolValue(random.nextBoolean()).build();
      case 4:
        return Value.getDefaultInstance();
      case 5:
        return Value.newBuilder().setStructValue(struct(random, width, depth - 1)).build();
      default:
        ListValue.Builder list = ListValue.newBuilder();
        int n = random.nextInt(width + 1);
        for (int i = 0; i < n; i++) {
          list.addValues(value(random, width, depth - 1));
        }
        return Value.newBuilder().setListValue(list).build();
    }
  }

  private static String key(SplittableRandom random) {
    String[] alphabet = {"x", "y", "cursor", "", "é", "名", "\uD83D\uDE00", "a-long-key-name-for-a-two-byte-length"};
    StringBuilder key = new StringBuilder();
    int parts = random.nextInt(4);
    for (int i = 0; i < parts; i++) {
      key.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return key.toString();
  }
}
