package dev.presence.server.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StateShapeTest {
  private static Struct json(String json) throws InvalidProtocolBufferException {
    Struct.Builder b = Struct.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.build();
  }

  @ParameterizedTest(name = "{0} has depth {1}")
  @CsvSource(delimiter = '|', value = {
      "{}|1", "{\"a\":1}|1", "{\"a\":{\"b\":1}}|2", "{\"a\":[1]}|2", "{\"a\":[{}]}|3", "{\"a\":[[]]}|3"})
  @DisplayName("PRS-STA-7: depth counts Struct and ListValue levels, the state itself 1 (SPEC.md's examples)")
  void depthExamples(String state, int depth) throws Exception {
    assertThat(StateShape.of(json(state), depth).tooDeep()).isFalse();
    assertThat(StateShape.of(json(state), depth - 1).tooDeep()).isTrue();
  }
}
