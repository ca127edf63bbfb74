package dev.presence.bench.driver.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.presence.bench.driver.CursorState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class YProtocolTest {
  /**
   * A message y-protocols 1.0.7 encoded: clients 1 and 300 with states, client 3 removed (state null).
   * Client 300 has clock 70000 and a negative ts.
   */
  private static final String THREE_ENTRIES_FROM_Y_PROTOCOLS = "01600301052d7b2278223a312e352c2279223a322c22736571"
      + "223a31372c227473223a3132333435363738393031323334357dac02f0a204227b2278223a302c2279223a2d332e32352c2273"
      + "6571223a302c227473223a2d34327d0301046e756c6c";

  private record Entry(long clientId, long clock, String json) {}

  @Test
  void decodesAMultiEntryUpdateWithANullEntry() {
    ByteBuffer message = ByteBuffer.wrap(HexFormat.of().parseHex(THREE_ENTRIES_FROM_Y_PROTOCOLS));

    assertThat(YProtocol.readMessageType(message)).isEqualTo(YProtocol.MESSAGE_AWARENESS);
    List<Entry> entries = new ArrayList<>();
    int count = YProtocol.readAwareness(message, (id, clock, json, offset, length) -> entries.add(
        new Entry(id, clock, YProtocol.isNullState(json, offset, length) ? null : text(json, offset, length))));

    assertThat(count).isEqualTo(3);
    assertThat(message.hasRemaining()).isFalse();
    assertThat(entries).containsExactly(
        new Entry(1, 5, "{\"x\":1.5,\"y\":2,\"seq\":17,\"ts\":123456789012345}"),
        new Entry(300, 70_000, "{\"x\":0,\"y\":-3.25,\"seq\":0,\"ts\":-42}"),
        new Entry(3, 1, null));
  }

  @Test
  void cursorJsonInsideAnEntryScansThroughTheAsciiView() {
    ByteBuffer message = ByteBuffer.wrap(HexFormat.of().parseHex(THREE_ENTRIES_FROM_Y_PROTOCOLS));
    YProtocol.readMessageType(message);
    CursorFields fields = new CursorFields();
    AsciiView view = new AsciiView();
    List<Long> seqs = new ArrayList<>();

    YProtocol.readAwareness(message, (id, clock, json, offset, length) -> {
      if (!YProtocol.isNullState(json, offset, length)) {
        CursorJson.read(view.reset(json, offset, length), 0, length, fields);
        seqs.add(fields.seq);
        seqs.add(fields.sentAtNanos - CursorJson.EPOCH_NANOS);
      }
    });

    assertThat(seqs).containsExactly(17L, 123_456_789_012_345L, 0L, -42L);
  }

  @Test
  void encodedStateDecodesToTheSameFields() {
    StringBuilder json = new StringBuilder();
    CursorJson.write(json, new CursorState(41, 9, 987_654_321L, 12.5, 7));
    ByteBuffer message = YProtocol.encodeAwareness(42, 1_000_000_000_000L, json);
    CursorFields fields = new CursorFields();
    List<Entry> entries = new ArrayList<>();

    assertThat(YProtocol.readMessageType(message)).isEqualTo(YProtocol.MESSAGE_AWARENESS);
    YProtocol.readAwareness(message, (id, clock, state, offset, length) -> {
      entries.add(new Entry(id, clock, text(state, offset, length)));
      CursorJson.read(new AsciiView().reset(state, offset, length), 0, length, fields);
    });

    assertThat(message.hasRemaining()).isFalse();
    assertThat(entries).extracting(Entry::clientId, Entry::clock).containsExactly(tuple(42L, 1_000_000_000_000L));
    assertThat(fields.seq).isEqualTo(9);
    assertThat(fields.sentAtNanos).isEqualTo(987_654_321L);
    assertThat(fields.user).isEqualTo(41);
  }

  @Test
  void truncatedUpdateIsRejected() {
    byte[] whole = HexFormat.of().parseHex(THREE_ENTRIES_FROM_Y_PROTOCOLS);
    ByteBuffer message = ByteBuffer.wrap(whole, 0, whole.length - 3);
    YProtocol.readMessageType(message);

    assertThatThrownBy(() -> YProtocol.readAwareness(message, (id, clock, json, offset, length) -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length 96 exceeds the 93 bytes left in the message");
  }

  @Test
  void entryRunningPastItsUpdateIsRejected() {
    // update of 4 bytes: count 1, client 1, clock 1, then a 5-byte string that does not fit
    ByteBuffer message = Lib0Test.bytes(1, 4, 1, 1, 1, 5, 'a', 'b', 'c', 'd', 'e');
    YProtocol.readMessageType(message);

    assertThatThrownBy(() -> YProtocol.readAwareness(message, (id, clock, json, offset, length) -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length 5 exceeds the 0 bytes left in the message");
  }

  @Test
  void bytesAfterTheLastEntryAreRejected() {
    ByteBuffer message = Lib0Test.bytes(1, 6, 1, 1, 1, 1, '0', 9);
    YProtocol.readMessageType(message);

    assertThatThrownBy(() -> YProtocol.readAwareness(message, (id, clock, json, offset, length) -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("awareness update has 1 bytes after its 1 entries");
  }

  @Test
  void entryCountLargerThanTheUpdateIsRejected() {
    ByteBuffer message = Lib0Test.bytes(1, 2, 0x7f, 0);
    YProtocol.readMessageType(message);

    assertThatThrownBy(() -> YProtocol.readAwareness(message, (id, clock, json, offset, length) -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("awareness update claims 127 entries in 2 bytes");
  }

  private static String text(ByteBuffer buffer, int offset, int length) {
    byte[] copy = new byte[length];
    buffer.get(offset, copy);
    return new String(copy, StandardCharsets.UTF_8);
  }
}
