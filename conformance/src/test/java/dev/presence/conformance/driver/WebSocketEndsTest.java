package dev.presence.conformance.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.driver.CallEnd.WebSocketClose;
import dev.presence.protocol.v1.SessionEnd;
import io.grpc.Status;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The kit reads WebSocket ends as PRS-WS-11 tells clients to. */
class WebSocketEndsTest {

  @Test
  void sessionEndWinsOverTheCloseCode() {
    SessionEnd end = SessionEnd.newBuilder().setCode(9).setReason("UNSUPPORTED_VERSION").setMessage("v1 only")
        .putMetadata("supported_versions", "1").build();
    CallEnd read = WebSocketEnds.closed(Optional.of(end), new WebSocketClose(1006, ""));
    assertThat(read.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(read.reason()).isEqualTo("UNSUPPORTED_VERSION");
    assertThat(read.metadata()).isEqualTo(Map.of("supported_versions", "1"));
    assertThat(read.description()).isEqualTo("v1 only");
  }

  @Test
  void withoutSessionEndTheCloseCodeSays() {
    assertThat(WebSocketEnds.closed(Optional.empty(), new WebSocketClose(4016, "UNAUTHENTICATED")))
        .extracting(CallEnd::code, CallEnd::reason).containsExactly(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED");
    assertThat(WebSocketEnds.closed(Optional.empty(), new WebSocketClose(1000, "")).code())
        .isEqualTo(Status.Code.OK);
    assertThat(WebSocketEnds.closed(Optional.empty(), new WebSocketClose(4017, "x")).code())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(WebSocketEnds.closed(Optional.empty(), new WebSocketClose(1006, "")))
        .extracting(CallEnd::code, CallEnd::reason).containsExactly(Status.Code.UNAVAILABLE, "");
  }

  @Test
  void refusedHandshakesMapByStatus() {
    assertThat(WebSocketEnds.refused(401).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(WebSocketEnds.refused(403).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(WebSocketEnds.refused(404).code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(WebSocketEnds.refused(400).code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(WebSocketEnds.refused(503).code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aBearerTokenTravelsAsTheSecondEntryAndOtherAuthorizationAsAMalformedOne() {
    assertThat(BearerSubprotocol.offer(1, ForgedCredentials.bearer("tok")))
        .containsExactly("presence.v1", "presence.v1.bearer.dG9r");
    assertThat(BearerSubprotocol.offer(1, new io.grpc.Metadata())).containsExactly("presence.v1");
    assertThat(BearerSubprotocol.offer(1, ForgedCredentials.authorization("Basic x")).get(1))
        .startsWith("presence.v1.bearer.~");
  }
}
