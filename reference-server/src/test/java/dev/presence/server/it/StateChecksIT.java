package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.ProtocolError;
import dev.presence.server.support.Frames;
import dev.presence.server.support.RawCall;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import dev.presence.server.support.WireBytes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The non-fatal checks of update_state: depth (PRS-STA-7), values (PRS-STA-8), size (PRS-STA-3), in PRS-ERR-6 order. */
class StateChecksIT {
  private static final int MAX_DEPTH = 32;
  private static final int MAX_STATE_BYTES = 8192;
  private ServerFixture fx;
  private TestSession watcher;
  private TestSession alice;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b);
    watcher = fx.openWatchingAll("r", "watcher");
    alice = fx.open("r", "alice");
    alice.send(Frames.update(1));
    watcher.awaitEvent("alice", x(1));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  /** {"a":{"a":...{"a":leaf}}} with {@code depth} Structs. */
  private static Struct nested(int depth, Value leaf) {
    Struct s = Struct.newBuilder().putFields("a", leaf).build();
    for (int i = 1; i < depth; i++) {
      s = Struct.newBuilder().putFields("a", Value.newBuilder().setStructValue(s).build()).build();
    }
    return s;
  }

  private static Value number(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }

  private ProtocolError refused(ConnectRequest frame) {
    alice.send(frame);
    return alice.await("error", ConnectResponse::hasError).getError();
  }

  private void assertRefused(Struct state, ErrorReason reason) {
    ProtocolError e = refused(Frames.update(state).toBuilder().setRequestId(11).build());
    assertThat(e.getReason()).isEqualTo(reason);
    assertThat(e.getRequestId()).isEqualTo(11);
  }

  /** The refused state changed nothing: no event reached the watcher, and the next valid update does. */
  private void assertPreviousStateKept() {
    alice.sync();
    assertThat(watcher.drainFor(Duration.ofMillis(300))).noneMatch(ConnectResponse::hasPresence);
    alice.send(Frames.update(2));
    watcher.awaitEvent("alice", x(2));
  }

  @Test
  @DisplayName("PRS-STA-7: a state of exactly max_state_depth Structs is accepted and delivered, whatever protobuf's recursion limit")
  void deepestStateAccepted() {
    Struct deepest = nested(MAX_DEPTH, number(5));
    alice.send(Frames.update(deepest));
    watcher.awaitEvent("alice", e -> e.getState().equals(deepest));
    Value list = number(6);
    for (int i = 1; i < MAX_DEPTH; i++) {
      list = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(list)).build();
    }
    Struct deepestLists = Struct.newBuilder().putFields("l", list).build();
    alice.send(Frames.update(deepestLists));
    watcher.awaitEvent("alice", e -> e.getState().equals(deepestLists));
  }

  @Test
  @DisplayName("PRS-STA-7: a state one level deeper gets STATE_TOO_DEEP and the previous state stays, not re-delivered")
  void tooDeep() {
    assertRefused(nested(MAX_DEPTH + 1, number(5)), ErrorReason.ERROR_REASON_STATE_TOO_DEEP);
    assertRefused(Struct.newBuilder().putFields("l", Value.newBuilder().setListValue(ListValue.newBuilder()
        .addValues(Value.newBuilder().setStructValue(nested(MAX_DEPTH - 1, number(1))))).build()).build(),
        ErrorReason.ERROR_REASON_STATE_TOO_DEEP);
    assertPreviousStateKept();
  }

  @Test
  @DisplayName("PRS-STA-7: a 64 KiB frame nesting thousands of levels gets STATE_TOO_DEEP, not a reset or a crash")
  void thousandsOfLevels() throws Exception {
    RawCall raw = RawCall.start(fx.channel()).send(Frames.open("r", "bob").toByteArray());
    raw.awaitMessage(ConnectResponse::hasOpened);
    byte[] frame = WireBytes.updateStateWithNestedLists(12, 8000);
    assertThat(frame.length).isBetween(50_000, 65_536);
    raw.send(frame);
    ProtocolError e = ConnectResponse.parseFrom(raw.awaitMessage(ConnectResponse::hasError)).getError();
    assertThat(e.getReason()).isEqualTo(ErrorReason.ERROR_REASON_STATE_TOO_DEEP);
    assertThat(e.getRequestId()).isEqualTo(12);
    raw.send(Frames.ping(3).toByteArray());
    raw.awaitMessage(ConnectResponse::hasPong);
  }

  @Test
  @DisplayName("PRS-STA-8: a Value without kind, NaN or an infinity gets INVALID_STATE and the previous state stays")
  void invalidValues() {
    assertRefused(Struct.newBuilder().putFields("k", Value.getDefaultInstance()).build(),
        ErrorReason.ERROR_REASON_INVALID_STATE);
    assertRefused(Frames.state("k", Double.NaN), ErrorReason.ERROR_REASON_INVALID_STATE);
    assertRefused(Frames.state("k", Double.POSITIVE_INFINITY), ErrorReason.ERROR_REASON_INVALID_STATE);
    assertRefused(nested(3, Value.newBuilder().setListValue(ListValue.newBuilder()
        .addValues(number(Double.NEGATIVE_INFINITY))).build()), ErrorReason.ERROR_REASON_INVALID_STATE);
    assertPreviousStateKept();
  }

  @Test
  @DisplayName("PRS-ERR-6: update_state checks apply in order STATE_MISSING, STATE_TOO_DEEP, INVALID_STATE, STATE_TOO_LARGE")
  void checkOrder() {
    String big = "q".repeat(MAX_STATE_BYTES);
    ProtocolError missing = refused(ConnectRequest.newBuilder().setRequestId(11)
        .setUpdateState(dev.presence.protocol.v1.UpdateState.getDefaultInstance()).build());
    assertThat(missing.getReason()).isEqualTo(ErrorReason.ERROR_REASON_STATE_MISSING);
    assertRefused(nested(MAX_DEPTH + 1, number(Double.NaN)).toBuilder()
        .putFields("big", Value.newBuilder().setStringValue(big).build()).build(), ErrorReason.ERROR_REASON_STATE_TOO_DEEP);
    assertRefused(Frames.state("nan", Double.NaN).toBuilder()
        .putFields("big", Value.newBuilder().setStringValue(big).build()).build(), ErrorReason.ERROR_REASON_INVALID_STATE);
    assertRefused(Struct.newBuilder().putFields("big", Value.newBuilder().setStringValue(big).build()).build(),
        ErrorReason.ERROR_REASON_STATE_TOO_LARGE);
    assertPreviousStateKept();
  }

  @Test
  @DisplayName("PRS-STA-3: size is that of the canonical re-encoding: a key written twice counts once")
  void canonicalSize() throws Exception {
    RawCall raw = RawCall.start(fx.channel()).send(Frames.open("r", "bob").toByteArray());
    raw.awaitMessage(ConnectResponse::hasOpened);
    byte[] key = WireBytes.field(1, "pad".getBytes(StandardCharsets.UTF_8));
    byte[] value = Value.newBuilder().setStringValue("q".repeat(6000)).build().toByteArray();
    byte[] entry = WireBytes.field(1, WireBytes.concat(key, WireBytes.field(2, value)));
    byte[] struct = WireBytes.concat(entry, entry); // 12 KB on the wire, 6 KB re-encoded
    raw.send(WireBytes.field(3, WireBytes.field(1, struct)));
    raw.send(Frames.ping(4).toByteArray());
    raw.awaitMessage(ConnectResponse::hasPong);
    watcher.awaitEvent("bob", e -> e.getState().getFieldsOrThrow("pad").getStringValue().length() == 6000);
  }

  @Test
  @DisplayName("PRS-STA-3: unknown fields inside a state are neither counted nor passed on")
  void unknownFieldsDropped() throws Exception {
    RawCall raw = RawCall.start(fx.channel()).send(Frames.open("r", "bob").toByteArray());
    raw.awaitMessage(ConnectResponse::hasOpened);
    byte[] value = WireBytes.concat(Value.newBuilder().setNumberValue(3).build().toByteArray(),
        WireBytes.field(99, new byte[MAX_STATE_BYTES])); // an unknown field, 8 KB
    byte[] entry = WireBytes.concat(WireBytes.field(1, "x".getBytes(StandardCharsets.UTF_8)), WireBytes.field(2, value));
    raw.send(WireBytes.field(3, WireBytes.field(1, WireBytes.field(1, entry))));
    raw.send(Frames.ping(4).toByteArray());
    raw.awaitMessage(ConnectResponse::hasPong);
    com.google.protobuf.Value delivered = watcher.awaitEvent("bob", x(3)).getState().getFieldsOrThrow("x");
    assertThat(delivered.getUnknownFields().isEmpty()).isTrue();
  }
}
