package dev.presence.bench.driver.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.bench.driver.CursorState;
import org.junit.jupiter.api.Test;

class CursorJsonTest {
  private final CursorFields fields = new CursorFields();

  @Test
  void writesTheFlatObjectWithTsFromTheEpoch() {
    StringBuilder out = new StringBuilder();
    CursorJson.write(out, new CursorState(3, 17, CursorJson.EPOCH_NANOS + 123_456_789_012_345L, 123.5, 456.25));

    assertThat(out).hasToString("{\"u\":3,\"x\":123.5,\"y\":456.25,\"seq\":17,\"ts\":123456789012345}");
  }

  @Test
  void readsBackWhatItWrote() {
    long sentAtNanos = System.nanoTime();
    StringBuilder out = new StringBuilder();
    CursorJson.write(out, new CursorState(7, 99, sentAtNanos, -1e-7, 3.0e12));

    int end = CursorJson.read(out, 0, out.length(), fields);

    assertThat(end).isEqualTo(out.length());
    assertThat(fields.user).isEqualTo(7);
    assertThat(fields.seq).isEqualTo(99);
    assertThat(fields.sentAtNanos).isEqualTo(sentAtNanos);
  }

  @Test
  void readsNodeReserializationInAnyKeyOrderAndSkipsUnknownValues() {
    String json = " { \"ts\" : 5 , \"extra\":{\"a\":[1,\"}]\\\"\"]},\"x\":100,\"u\":12,\"flag\":true,"
        + "\"name\":\"é\",\"seq\":0 } ";

    int end = CursorJson.read(json, 0, json.length(), fields);

    assertThat(json.charAt(end - 1)).isEqualTo('}');
    assertThat(fields.user).isEqualTo(12);
    assertThat(fields.seq).isZero();
    assertThat(fields.sentAtNanos - CursorJson.EPOCH_NANOS).isEqualTo(5);
  }

  @Test
  void userIsOptional() {
    String json = "{\"x\":1,\"y\":2,\"seq\":3,\"ts\":4}";

    CursorJson.read(json, 0, json.length(), fields);

    assertThat(fields.has(CursorFields.USER)).isFalse();
    assertThat(fields.seq).isEqualTo(3);
  }

  @Test
  void fractionalSeqIsRejected() {
    assertMalformed("{\"seq\":1.5,\"ts\":4}", "cursor JSON: 'seq' is not an integer of at most 19 digits");
  }

  @Test
  void exponentTsIsRejected() {
    assertMalformed("{\"seq\":1,\"ts\":1e21}", "cursor JSON: 'ts' is not an integer of at most 19 digits");
  }

  @Test
  void overflowingTsIsRejected() {
    assertMalformed("{\"seq\":1,\"ts\":9999999999999999999}",
        "cursor JSON: 'ts' is not an integer of at most 19 digits");
  }

  @Test
  void userBeyondIntIsRejected() {
    assertMalformed("{\"u\":2147483648,\"seq\":1,\"ts\":2}", "cursor JSON: 'u' is not an int");
  }

  @Test
  void missingTsIsRejected() {
    assertMalformed("{\"x\":1,\"seq\":1}", "cursor JSON: 'seq' or 'ts' missing");
  }

  @Test
  void unclosedObjectIsRejected() {
    assertMalformed("{\"seq\":1,\"ts\":2", "cursor JSON: object not closed");
  }

  @Test
  void unclosedStringIsRejected() {
    assertMalformed("{\"seq\":1,\"ts\":2,\"name\":\"abc}", "cursor JSON: string not closed");
  }

  @Test
  void nonObjectIsRejected() {
    assertMalformed("null", "cursor JSON: expected '{' at index 0");
  }

  @Test
  void missingSeparatorIsRejected() {
    assertMalformed("{\"seq\":1 \"ts\":2}", "cursor JSON: expected ',' or '}' at index 9");
  }

  @Test
  void nonFiniteCoordinatesAreNotWritten() {
    assertThatThrownBy(() -> CursorJson.write(new StringBuilder(), new CursorState(1, 1, 1, Double.NaN, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cursor x must be finite for JSON, was NaN");
  }

  private void assertMalformed(String json, String message) {
    assertThatThrownBy(() -> CursorJson.read(json, 0, json.length(), fields))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
