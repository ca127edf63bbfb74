package dev.presence.bench.driver.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.websocket.SocketIoCodec.Packet;
import org.junit.jupiter.api.Test;

class SocketIoCodecTest {
  private final CursorFields fields = new CursorFields();

  @Test
  void openPacket() {
    assertThat(parse("0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":25000,"
        + "\"pingTimeout\":20000,\"maxPayload\":1000000}")).isEqualTo(Packet.OPEN);
  }

  @Test
  void pingIsAnsweredWithAPongEchoingItsPayload() {
    assertThat(parse("2")).isEqualTo(Packet.PING);
    assertThat(SocketIoCodec.pong("2")).isEqualTo("3");
    assertThat(SocketIoCodec.pong("2probe")).isEqualTo("3probe");
  }

  @Test
  void connectAcknowledgement() {
    assertThat(parse("40{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}")).isEqualTo(Packet.CONNECTED);
    assertThat(SocketIoCodec.CONNECT).isEqualTo("40");
  }

  @Test
  void connectAcknowledgementOfAnotherNamespaceIsNotOurs() {
    assertThat(parse("40/admin,{\"sid\":\"x\"}")).isEqualTo(Packet.OTHER);
  }

  @Test
  void connectErrorDisconnectAndClose() {
    assertThat(parse("44{\"message\":\"Not authorized\"}")).isEqualTo(Packet.CONNECT_ERROR);
    assertThat(parse("41")).isEqualTo(Packet.DISCONNECTED);
    assertThat(parse("1")).isEqualTo(Packet.CLOSE);
  }

  @Test
  void cursorEventAsNodeReserializesIt() {
    String frame = "42[\"cursor\",{\"u\":3,\"x\":100,\"y\":456.25,\"seq\":17,\"ts\":123456789012345}]";

    assertThat(parse(frame)).isEqualTo(Packet.CURSOR);
    assertThat(fields.user).isEqualTo(3);
    assertThat(fields.seq).isEqualTo(17);
    assertThat(fields.sentAtNanos - CursorJson.EPOCH_NANOS).isEqualTo(123_456_789_012_345L);
  }

  @Test
  void encodedCursorParsesBack() {
    long sentAtNanos = System.nanoTime();
    String frame = SocketIoCodec.encodeCursor(new StringBuilder("stale"),
        new CursorState(2_000_000, 5, sentAtNanos, 1, 2));

    assertThat(frame).startsWith("42[\"cursor\",{\"u\":2000000,\"x\":1.0,\"y\":2.0,\"seq\":5,\"ts\":").endsWith("}]");
    assertThat(parse(frame)).isEqualTo(Packet.CURSOR);
    assertThat(fields.user).isEqualTo(2_000_000);
    assertThat(fields.sentAtNanos).isEqualTo(sentAtNanos);
  }

  @Test
  void otherEventsAndPacketsAreIgnored() {
    assertThat(parse("42[\"chat\",\"hi\"]")).isEqualTo(Packet.OTHER);
    assertThat(parse("42[\"cursorX\",{}]")).isEqualTo(Packet.OTHER);
    assertThat(parse("6")).isEqualTo(Packet.OTHER);
    assertThat(parse("43[]")).isEqualTo(Packet.OTHER);
  }

  @Test
  void emptyFrameIsRejected() {
    assertMalformed("", "Engine.IO: empty frame");
  }

  @Test
  void unknownEngineIoTypeIsRejected() {
    assertMalformed("9", "Engine.IO: unknown packet type '9'");
  }

  @Test
  void unknownSocketIoTypeIsRejected() {
    assertMalformed("49", "Socket.IO: unknown packet type '9'");
  }

  @Test
  void eventWithoutArrayIsRejected() {
    assertMalformed("42{\"cursor\"}", "Socket.IO: event without an argument array");
  }

  @Test
  void cursorWithoutPayloadIsRejected() {
    assertMalformed("42[\"cursor\"]", "Socket.IO: cursor event without a payload");
  }

  @Test
  void cursorWithoutUserIsRejected() {
    assertMalformed("42[\"cursor\",{\"seq\":1,\"ts\":2}]", "Socket.IO: cursor event without 'u'");
  }

  @Test
  void cursorWithASecondArgumentIsRejected() {
    assertMalformed("42[\"cursor\",{\"u\":1,\"seq\":1,\"ts\":2},3]",
        "Socket.IO: cursor event has more than one argument or is not closed");
  }

  @Test
  void truncatedCursorIsRejected() {
    assertMalformed("42[\"cursor\",{\"u\":1,\"seq\":1,\"ts\":2", "cursor JSON: object not closed");
  }

  private Packet parse(String frame) {
    return SocketIoCodec.parse(frame, fields);
  }

  private void assertMalformed(String frame, String message) {
    assertThatThrownBy(() -> parse(frame))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
