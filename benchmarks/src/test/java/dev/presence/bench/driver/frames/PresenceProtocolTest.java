package dev.presence.bench.driver.frames;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.bench.driver.CursorState;
import dev.presence.bench.support.Recorder;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.ProtocolError;
import dev.presence.protocol.v1.SessionEnd;
import dev.presence.protocol.v1.SnapshotComplete;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session logic both presence.v1 bindings run, against a link that records what it is asked to do. */
class PresenceProtocolTest {
  private final PresenceProtocol protocol = new PresenceProtocol();
  private final RecordingLink link = new RecordingLink();

  @Test
  void opensAsTheUserThenSubscribesToAllAndIsReadyOnlyWhenThatSnapshotIsComplete() throws Exception {
    protocol.begin(link, "room-a", 7);
    ConnectRequest open = ConnectRequest.parseFrom(link.written.get(0));
    assertThat(open.getOpen().getRoomId()).isEqualTo("room-a");
    assertThat(open.getOpen().getDevUserId()).isEqualTo("u7");
    assertThat(open.getOpen().getProtocolVersion()).isEqualTo(1);

    protocol.onControl(link, ConnectResponse.newBuilder().setOpened(Opened.getDefaultInstance()).build());
    ConnectRequest subscribe = ConnectRequest.parseFrom(link.written.get(1));
    assertThat(subscribe.getSubscribe().getTarget().hasAllUsers()).isTrue();
    assertThat(link.ready).isFalse();

    protocol.onControl(link, snapshotComplete(subscribe.getRequestId() + 1));
    assertThat(link.ready).isFalse();
    protocol.onControl(link, snapshotComplete(subscribe.getRequestId()));
    assertThat(link.ready).isTrue();
    assertThat(link.events).isEmpty();
  }

  @Test
  void answersAPingWithItsNonce() throws Exception {
    protocol.onControl(link, ConnectResponse.newBuilder().setPing(Ping.newBuilder().setNonce(42)).build());

    assertThat(ConnectRequest.parseFrom(link.written.get(0)).getPong().getNonce()).isEqualTo(42);
  }

  @Test
  void aProtocolErrorIsAFaultUnderItsReason() {
    protocol.onControl(link, ConnectResponse.newBuilder()
        .setError(ProtocolError.newBuilder().setReason(ErrorReason.ERROR_REASON_STATE_TOO_LARGE)).build());

    assertThat(link.events).containsExactly("fail: protocol error ERROR_REASON_STATE_TOO_LARGE");
  }

  @Test
  void aSessionEndEndsTheSessionUnderItsCodeAndReasonWithoutItsFreeTextMessage() {
    protocol.onControl(link, sessionEnd(8, "too slow for 12 s", "SLOW_CONSUMER"));
    protocol.onControl(link, sessionEnd(0, "bye", ""));
    protocol.onControl(link, sessionEnd(99, "from a newer server", ""));

    assertThat(link.events).containsExactly(
        "ended: session_end RESOURCE_EXHAUSTED SLOW_CONSUMER", "ended: session_end OK", "ended: session_end UNKNOWN");
  }

  @Test
  void aStateTravelsAsUpdateState() throws Exception {
    byte[] frame = protocol.encode(new CursorState(3, 9, 1_000, 1.5, 2.5));

    assertThat(frame).isEqualTo(StateEncoder.updateState(new CursorState(3, 9, 1_000, 1.5, 2.5)));
  }

  @Test
  void inboundFramesGiveBatchesToTheReceiverControlFramesToTheProtocolAndFailOnGarbage() throws Exception {
    Recorder receiver = new Recorder();
    InboundFrames inbound = new InboundFrames(protocol, link, receiver);

    inbound.accept(ConnectResponse.newBuilder()
        .setPresence(PresenceBatch.newBuilder().addEvents(presenceEvent(5, 17))).build().toByteArray());
    inbound.accept(ConnectResponse.newBuilder().setOpened(Opened.getDefaultInstance()).build().toByteArray());
    inbound.accept(new byte[] {(byte) 0xff, (byte) 0xff});

    assertThat(receiver.has(5, 17)).isTrue();
    assertThat(link.written).hasSize(1);
    assertThat(link.events).containsExactly("fail: undecodable frame");
  }

  private static PresenceEvent presenceEvent(int user, long seq) throws InvalidProtocolBufferException {
    return PresenceEvent.parseFrom(StateEncoder.presenceEvent(new CursorState(user, seq, 1_000, 0, 0)));
  }

  private static ConnectResponse snapshotComplete(long requestId) {
    return ConnectResponse.newBuilder()
        .setSnapshotComplete(SnapshotComplete.newBuilder().setRequestId(requestId)).build();
  }

  private static ConnectResponse sessionEnd(int code, String message, String reason) {
    return ConnectResponse.newBuilder()
        .setSessionEnd(SessionEnd.newBuilder().setCode(code).setMessage(message).setReason(reason)).build();
  }

  private static final class RecordingLink implements FrameLink {
    final List<byte[]> written = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    boolean ready;

    @Override
    public void write(byte[] frame) {
      written.add(frame);
    }

    @Override
    public void markReady() {
      ready = true;
    }

    @Override
    public void fail(String reason) {
      events.add("fail: " + reason);
    }

    @Override
    public void endedByServer(String how) {
      events.add("ended: " + how);
    }
  }
}
