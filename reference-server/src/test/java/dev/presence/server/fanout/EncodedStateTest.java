package dev.presence.server.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Equality of encoded states must be protobuf's equality of the states, whatever order their keys were set in. */
class EncodedStateTest {
  private static final long SEED = 0x454e_434f_4445_4453L;
  private static final int CASES = 3000;

  @Test
  @DisplayName("same() agrees with Struct.equals for reordered, changed and unrelated states, smallest first")
  void agreesWithProtobufEquality() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < CASES; i++) {
      // Budgets grow with the case number, so the first failure is one of the smallest states that fails.
      int width = 1 + i / 100;
      int depth = 1 + i / 600;
      Struct state = RandomStates.struct(random, width, depth);
      Struct reordered = reordered(state);
      Struct changed = changedValue(state, random, width, depth);
      Struct other = RandomStates.struct(random, width, depth);
      int n = i;
      // Described lazily: printing states costs more than the checks.
      assertThat(EncodedState.same(EncodedState.of(state), EncodedState.of(reordered)))
          .as(() -> context(n, state) + ", reordered " + reordered).isTrue();
      assertThat(EncodedState.same(EncodedState.of(state), EncodedState.of(changed)))
          .as(() -> context(n, state) + ", changed " + changed).isEqualTo(state.equals(changed));
      assertThat(EncodedState.same(EncodedState.of(state), EncodedState.of(other)))
          .as(() -> context(n, state) + ", other " + other).isEqualTo(state.equals(other));
    }
  }

  @Test
  @DisplayName("Two absent states are the same; an absent and an empty one are not")
  void nullIsOnlyTheSameAsNull() {
    EncodedState empty = EncodedState.of(Struct.getDefaultInstance());
    assertThat(EncodedState.same(null, null)).isTrue();
    assertThat(EncodedState.same(empty, null)).isFalse();
    assertThat(EncodedState.same(null, empty)).isFalse();
    assertThat(EncodedState.same(empty, EncodedState.of(Struct.newBuilder().build()))).isTrue();
  }

  @Test
  @DisplayName("A value's sign and kind count: -0 differs from 0, and 1 from true")
  void valuesAreComparedExactly() {
    assertThat(same(Value.newBuilder().setNumberValue(0.0).build(), Value.newBuilder().setNumberValue(-0.0).build()))
        .isFalse();
    assertThat(same(Value.newBuilder().setNumberValue(1).build(), Value.newBuilder().setBoolValue(true).build()))
        .isFalse();
    assertThat(same(Value.newBuilder().setStringValue("é").build(), Value.newBuilder().setStringValue("é").build()))
        .isTrue();
  }

  private static String context(int i, Struct state) {
    return "seed " + SEED + ", case " + i + ", state " + state;
  }

  private static boolean same(Value a, Value b) {
    return EncodedState.same(EncodedState.of(Struct.newBuilder().putFields("k", a).build()),
        EncodedState.of(Struct.newBuilder().putFields("k", b).build()));
  }

  /** The same entries with every map's keys set in reverse order, so that the bytes differ where order shows. */
  private static Struct reordered(Struct state) {
    List<Map.Entry<String, Value>> entries = new ArrayList<>(state.getFieldsMap().entrySet());
    Collections.reverse(entries);
    Struct.Builder b = Struct.newBuilder();
    for (Map.Entry<String, Value> e : entries) {
      b.putFields(e.getKey(), reordered(e.getValue()));
    }
    return b.build();
  }

  private static Value reordered(Value value) {
    switch (value.getKindCase()) {
      case STRUCT_VALUE:
        return Value.newBuilder().setStructValue(reordered(value.getStructValue())).build();
      case LIST_VALUE:
        ListValue.Builder list = ListValue.newBuilder();
        for (Value v : value.getListValue().getValuesList()) {
          list.addValues(reordered(v));
        }
        return Value.newBuilder().setListValue(list).build();
      default:
        return value;
    }
  }

  private static Struct changedValue(Struct state, SplittableRandom random, int width, int depth) {
    if (state.getFieldsCount() == 0) {
      return state;
    }
    List<String> keys = new ArrayList<>(state.getFieldsMap().keySet());
    String key = keys.get(random.nextInt(keys.size()));
    return state.toBuilder().putFields(key, RandomStates.value(random, width, depth)).build();
  }
}
