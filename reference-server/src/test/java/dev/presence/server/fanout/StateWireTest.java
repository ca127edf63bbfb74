package dev.presence.server.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The hand-written state encoding must be byte for byte what protobuf writes, for any state. */
class StateWireTest {
  private static final long SEED = 0x5747_4154_4557_4952L;
  private static final int CASES = 3000;

  @Test
  @DisplayName("Sizes and bytes equal protobuf's for generated states, smallest first")
  void matchesProtobufForGeneratedStates() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < CASES; i++) {
      // Budgets grow with the case number, so the first failure is one of the smallest states that fails.
      Struct state = RandomStates.struct(random, 1 + i / 100, 1 + i / 600);
      int n = i;
      // Described lazily: printing states costs more than the checks.
      Supplier<String> context = () -> "seed " + SEED + ", case " + n + ", state " + state;
      assertThat(EncodedState.of(state).size()).as(context).isEqualTo(state.getSerializedSize());
      assertThat(EncodedState.of(state).encoding()).as(context).isEqualTo(state.toByteArray());
      assertThat(LiveEvent.state("u" + i, state).encoded()).as(context)
          .isEqualTo(PresenceEvent.newBuilder().setUserId("u" + i).setState(state).build().toByteArray());
    }
  }

  @Test
  @DisplayName("Edge cases: empty state, empty key and value, a value without kind, unknown fields, no user id")
  void matchesProtobufAtTheEdges() {
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
      assertThat(EncodedState.of(state).size()).as("%s", state).isEqualTo(state.getSerializedSize());
      assertThat(EncodedState.of(state).encoding()).as("%s", state).isEqualTo(state.toByteArray());
      assertThat(LiveEvent.state("", state).encoded()).as("%s", state)
          .isEqualTo(PresenceEvent.newBuilder().setState(state).build().toByteArray());
    }
  }
}
