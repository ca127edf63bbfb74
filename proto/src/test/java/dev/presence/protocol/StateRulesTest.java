package dev.presence.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Depth and values of states against {@code spec/vectors/states.json}. States whose bytes protobuf-java refuses
 * (invalid UTF-8) are the lenient decoder's, judged by the server's tests.
 */
class StateRulesTest {
  private static final int DEFAULT_MAX_STATE_DEPTH = 32;
  private static final int DEFAULT_MAX_STATE_BYTES = 8192;

  @Test
  @DisplayName("PRS-STA-7, PRS-STA-8, PRS-ERR-6: every parseable state gets its depth and verdict")
  void statesFollowTheVectors() throws IOException {
    List<Struct> cases = SharedVectors.cases("states.json");
    int judged = 0;
    for (Struct c : cases) {
      byte[] encoding = Base64.getDecoder().decode(SharedVectors.text(c, "struct_base64"));
      Struct state;
      try {
        state = Struct.parseFrom(encoding);
      } catch (InvalidProtocolBufferException refusedByTheParser) {
        continue;
      }
      String name = SharedVectors.text(c, "name");
      int depth = (int) c.getFieldsOrThrow("depth").getNumberValue();
      assertThat(StateRules.depth(state)).as(name).isEqualTo(depth);
      assertThat(StateRules.inspect(state, depth).tooDeep()).as(name).isFalse();
      assertThat(StateRules.inspect(state, depth - 1).tooDeep()).as(name).isTrue();
      assertThat(verdict(state)).as(name).isEqualTo(SharedVectors.text(c, "verdict"));
      judged++;
    }
    assertThat(judged).isGreaterThan(cases.size() / 2);
  }

  @Test
  @DisplayName("PRS-STA-7: the walk stops at the limit, so ten thousand levels cost no more than a legal state")
  void pathologicalDepthIsCut() {
    Value deepest = Value.newBuilder().setNumberValue(1).build();
    for (int i = 0; i < 10_000; i++) {
      deepest = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(deepest)).build();
    }
    Struct state = Struct.newBuilder().putFields("a", deepest).build();
    assertThat(StateRules.inspect(state, DEFAULT_MAX_STATE_DEPTH).tooDeep()).isTrue();
  }

  @Test
  @DisplayName("PRS-STA-8: descriptions name the kind of value, never its content")
  void descriptionsNeverQuote() {
    Struct state = Struct.newBuilder().putFields("secret-key", Value.newBuilder().setNumberValue(Double.NaN).build())
        .build();
    assertThat(StateRules.inspect(state, DEFAULT_MAX_STATE_DEPTH).invalidValue()).hasValue("a number that is NaN or infinite");
  }

  @ParameterizedTest(name = "{0} has depth {1}")
  @CsvSource(delimiter = '|', value = {
      "{}|1", "{\"a\":1}|1", "{\"a\":{\"b\":1}}|2", "{\"a\":[1]}|2", "{\"a\":[{}]}|3", "{\"a\":[[]]}|3"})
  @DisplayName("PRS-STA-7: depth counts Struct and ListValue levels, the state itself 1 (SPEC.md's examples)")
  void depthExamples(String state, int depth) throws Exception {
    assertThat(StateRules.inspect(json(state), depth).tooDeep()).isFalse();
    assertThat(StateRules.inspect(json(state), depth - 1).tooDeep()).isTrue();
  }

  @Test
  @DisplayName("PRS-STA-3: unknown fields at any level are found, and the canonical state leaves them out")
  void unknownFieldsAreFoundAndDropped() {
    UnknownFieldSet extra = UnknownFieldSet.newBuilder()
        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build();
    Value inner = Value.newBuilder().setNumberValue(1).setUnknownFields(extra).build();
    Struct state = Struct.newBuilder().putFields("a", Value.newBuilder()
        .setListValue(ListValue.newBuilder().addValues(inner)).build()).build();
    assertThat(StateRules.inspect(state, DEFAULT_MAX_STATE_DEPTH).unknownFields()).isTrue();
    Struct canonical = StateRules.withoutUnknownFields(state);
    assertThat(StateRules.inspect(canonical, DEFAULT_MAX_STATE_DEPTH).unknownFields()).isFalse();
    assertThat(canonical.getSerializedSize()).isLessThan(state.getSerializedSize());
  }

  private static Struct json(String json) throws InvalidProtocolBufferException {
    Struct.Builder b = Struct.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.build();
  }

  private static String verdict(Struct state) {
    StateRules.Shape shape = StateRules.inspect(state, DEFAULT_MAX_STATE_DEPTH);
    if (shape.tooDeep()) {
      return "STATE_TOO_DEEP";
    }
    if (shape.invalidValue().isPresent()) {
      return "INVALID_STATE";
    }
    return state.getSerializedSize() > DEFAULT_MAX_STATE_BYTES ? "STATE_TOO_LARGE" : "ok";
  }
}
