package dev.presence.bench.driver.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Lib0Test {
  @ParameterizedTest
  @ValueSource(longs = {0, 1, 127, 128, 300, 16_383, 16_384, 4_294_967_295L, (1L << 53) - 1, 1L << 53,
      Long.MAX_VALUE})
  void varUintRoundTrips(long value) {
    ByteBuffer buffer = ByteBuffer.allocate(Lib0.MAX_VAR_UINT_BYTES);
    Lib0.writeVarUint(buffer, value);

    assertThat(buffer.position()).isEqualTo(Lib0.varUintSize(value));
    assertThat(Lib0.readVarUint(buffer.flip())).isEqualTo(value);
    assertThat(buffer.hasRemaining()).isFalse();
  }

  @Test
  void varUintPutsTheLowGroupFirst() {
    ByteBuffer buffer = ByteBuffer.allocate(2);
    Lib0.writeVarUint(buffer, 300);

    assertThat(buffer.array()).containsExactly(0xac, 0x02);
  }

  @Test
  void largestVarUintTakesNineBytes() {
    assertThat(Lib0.varUintSize(Long.MAX_VALUE)).isEqualTo(9);
    assertThat(Lib0.varUintSize(0)).isEqualTo(1);
  }

  @Test
  void negativeValuesAreRejected() {
    assertThatThrownBy(() -> Lib0.writeVarUint(ByteBuffer.allocate(10), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void truncatedVarUintIsRejected() {
    assertThatThrownBy(() -> Lib0.readVarUint(bytes(0x80, 0x80)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("varUint truncated after 2 bytes");
  }

  @Test
  void varUintOverNineBytesIsRejected() {
    assertThatThrownBy(() -> Lib0.readVarUint(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("varUint longer than 9 bytes");
  }

  @Test
  void varStringRoundTripsUtf8() {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    Lib0.writeVarString(buffer, "Grüße, 世界");

    assertThat(Lib0.readVarString(buffer.flip())).isEqualTo("Grüße, 世界");
    assertThat(buffer.hasRemaining()).isFalse();
  }

  @Test
  void asciiVarStringReadsBackAsAString() {
    ByteBuffer buffer = ByteBuffer.allocate(16);
    Lib0.writeAsciiVarString(buffer, new StringBuilder("{\"x\":1}"));

    assertThat(Lib0.readVarString(buffer.flip())).isEqualTo("{\"x\":1}");
  }

  @Test
  void nonAsciiIsRejectedWhereAsciiIsPromised() {
    assertThatThrownBy(() -> Lib0.writeAsciiVarString(ByteBuffer.allocate(16), "é"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("non-ASCII character at index 0");
  }

  @Test
  void lengthBeyondTheMessageIsRejected() {
    assertThatThrownBy(() -> Lib0.readVarString(bytes(5, 'a', 'b')))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length 5 exceeds the 2 bytes left in the message");
  }

  static ByteBuffer bytes(int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length);
    for (int value : values) {
      buffer.put((byte) value);
    }
    return buffer.flip();
  }
}
