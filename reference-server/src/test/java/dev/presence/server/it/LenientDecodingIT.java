package dev.presence.server.it;

import static dev.presence.server.support.WireBytes.PLACEHOLDER;
import static dev.presence.server.support.WireBytes.withInvalidUtf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.ProtocolError;
import dev.presence.server.support.Frames;
import dev.presence.server.support.RawCall;
import dev.presence.server.support.WithMeteredServer;
import io.grpc.Status;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PRS-IDN-7 and PRS-TRN-9 over real HTTP/2: invalid UTF-8, which protobuf refuses for a whole frame, gets the
 * answer of the field it is in; bytes that are no ConnectRequest at all get MALFORMED_FRAME.
 */
class LenientDecodingIT extends WithMeteredServer {
  private static ConnectRequest openWith(Open.Builder open) {
    return ConnectRequest.newBuilder().setOpen(open).build();
  }

  private static Open.Builder open() {
    return Frames.open("room", "alice").getOpen().toBuilder();
  }

  private ErrorInfo fatal(byte[] first, Status.Code code) throws Exception {
    RawCall call = RawCall.start(fx.channel()).send(first);
    ErrorInfo info = call.awaitErrorInfo();
    assertThat(call.awaitClose().getCode()).isEqualTo(code);
    assertThat(info.getDomain()).isEqualTo("presence.v1");
    return info;
  }

  private RawCall opened() throws Exception {
    RawCall call = RawCall.start(fx.channel()).send(Frames.open("room", "alice").toByteArray());
    call.awaitMessage(ConnectResponse::hasOpened);
    return call;
  }

  private static ProtocolError error(RawCall call) throws Exception {
    return ConnectResponse.parseFrom(call.awaitMessage(ConnectResponse::hasError)).getError();
  }

  @Test
  @DisplayName("PRS-IDN-7: invalid UTF-8 in Open.room_id ends the call INVALID_ARGUMENT / INVALID_ROOM_ID")
  void roomId() throws Exception {
    assertThat(fatal(withInvalidUtf8(openWith(open().setRoomId(PLACEHOLDER))), Status.Code.INVALID_ARGUMENT)
        .getReason()).isEqualTo("INVALID_ROOM_ID");
  }

  @Test
  @DisplayName("PRS-IDN-7: in dev mode, invalid UTF-8 in Open.dev_user_id ends the call UNAUTHENTICATED")
  void devUserId() throws Exception {
    assertThat(fatal(withInvalidUtf8(openWith(open().setDevUserId(PLACEHOLDER))), Status.Code.UNAUTHENTICATED)
        .getReason()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  @DisplayName("PRS-IDN-7: invalid UTF-8 in dev_display_name becomes U+FFFD; in client_agent it is ignored")
  void displayNameAndAgent() throws Exception {
    RawCall named = RawCall.start(fx.channel())
        .send(withInvalidUtf8(openWith(open().setDevDisplayName("Al" + PLACEHOLDER))));
    assertThat(ConnectResponse.parseFrom(named.awaitMessage(ConnectResponse::hasOpened)).getOpened().getSelf()
        .getDisplayName()).isEqualTo("Al\uFFFD\uFFFD\uFFFD\uFFFD");
    RawCall agent = RawCall.start(fx.channel())
        .send(withInvalidUtf8(openWith(open().setDevUserId("bob").setClientAgent(PLACEHOLDER))));
    assertThat(ConnectResponse.parseFrom(agent.awaitMessage(ConnectResponse::hasOpened)).getOpened().getSelf()
        .getUserId()).isEqualTo("bob");
  }

  @Test
  @DisplayName("PRS-TRN-9/PRS-OPN-9: an undecodable first frame ends the call INVALID_ARGUMENT / MALFORMED_FRAME, counted")
  void malformedFirstFrame() throws Exception {
    assertThat(fatal(new byte[] {0x0F, 1, 2}, Status.Code.INVALID_ARGUMENT).getReason()).isEqualTo("MALFORMED_FRAME");
    byte[] open = Frames.open("room", "alice").toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(open, open.length - 3);
    assertThat(fatal(truncated, Status.Code.INVALID_ARGUMENT).getReason()).isEqualTo("MALFORMED_FRAME");
    assertThat(fx.scrape("/metrics")
        .value("presence_errors_fatal_total", Map.of("reason", "MALFORMED_FRAME"))).isEqualTo(2.0);
  }

  @Test
  @DisplayName("PRS-TRN-9: an undecodable frame after opened gets ProtocolError MALFORMED_FRAME, request_id 0, and the session goes on")
  void malformedLaterFrame() throws Exception {
    RawCall call = opened();
    call.send(new byte[] {0x08, 0x07, 0x0F});
    ProtocolError e = error(call);
    assertThat(e.getReason()).isEqualTo(ErrorReason.ERROR_REASON_MALFORMED_FRAME);
    assertThat(e.getRequestId()).isZero();
    call.send(Frames.ping(42).toByteArray());
    assertThat(ConnectResponse.parseFrom(call.awaitMessage(ConnectResponse::hasPong)).getPong().getNonce())
        .isEqualTo(42);
    assertThat(fx.scrape("/metrics")
        .value("presence_errors_protocol_total", Map.of("reason", "MALFORMED_FRAME"))).isEqualTo(1.0);
  }

  @Test
  @DisplayName("PRS-IDN-7/PRS-ERR-8: invalid UTF-8 in a subscription_id gets INVALID_SUBSCRIPTION_ID with an empty subscription_id")
  void subscriptionIds() throws Exception {
    RawCall call = opened();
    call.send(withInvalidUtf8(Frames.subscribe(3, PLACEHOLDER, Frames.all())));
    ProtocolError sub = error(call);
    assertThat(sub.getReason()).isEqualTo(ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID);
    assertThat(sub.getRequestId()).isEqualTo(3);
    assertThat(sub.getSubscriptionId()).isEmpty();
    call.send(withInvalidUtf8(Frames.unsubscribe(4, PLACEHOLDER)));
    ProtocolError unsub = error(call);
    assertThat(unsub.getReason()).isEqualTo(ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID);
    assertThat(unsub.getRequestId()).isEqualTo(4);
    assertThat(unsub.getSubscriptionId()).isEmpty();
  }

  @Test
  @DisplayName("PRS-IDN-7: invalid UTF-8 in SyncTarget.user_id, Follow.user_id or Unfollow.user_id gets INVALID_USER_ID with the request_id")
  void userIds() throws Exception {
    RawCall call = opened();
    call.send(withInvalidUtf8(Frames.subscribe(5, "by-user", Frames.user(PLACEHOLDER))));
    ProtocolError target = error(call);
    assertThat(target.getReason()).isEqualTo(ErrorReason.ERROR_REASON_INVALID_USER_ID);
    assertThat(target.getRequestId()).isEqualTo(5);
    assertThat(target.getSubscriptionId()).isEqualTo("by-user");
    call.send(withInvalidUtf8(Frames.follow(6, PLACEHOLDER)));
    assertThat(error(call)).extracting(ProtocolError::getReason, ProtocolError::getRequestId)
        .containsExactly(ErrorReason.ERROR_REASON_INVALID_USER_ID, 6L);
    call.send(withInvalidUtf8(Frames.unfollow(7, PLACEHOLDER)));
    assertThat(error(call)).extracting(ProtocolError::getReason, ProtocolError::getRequestId)
        .containsExactly(ErrorReason.ERROR_REASON_INVALID_USER_ID, 7L);
  }

  @Test
  @DisplayName("PRS-IDN-7/PRS-STA-8: invalid UTF-8 in a state key or string gets INVALID_STATE with the request_id")
  void stateStrings() throws Exception {
    RawCall call = opened();
    Struct badKey = Struct.newBuilder().putFields(PLACEHOLDER, Value.newBuilder().setBoolValue(true).build()).build();
    call.send(withInvalidUtf8(Frames.update(badKey).toBuilder().setRequestId(8).build()));
    assertThat(error(call)).extracting(ProtocolError::getReason, ProtocolError::getRequestId)
        .containsExactly(ErrorReason.ERROR_REASON_INVALID_STATE, 8L);
    Struct badString = Struct.newBuilder().putFields("k", Value.newBuilder().setStringValue(PLACEHOLDER).build())
        .build();
    call.send(withInvalidUtf8(Frames.update(badString).toBuilder().setRequestId(9).build()));
    assertThat(error(call)).extracting(ProtocolError::getReason, ProtocolError::getRequestId)
        .containsExactly(ErrorReason.ERROR_REASON_INVALID_STATE, 9L);
  }
}
