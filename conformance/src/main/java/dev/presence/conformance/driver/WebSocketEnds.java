package dev.presence.conformance.driver;

import dev.presence.protocol.WebSocketBinding;
import dev.presence.conformance.driver.CallEnd.WebSocketClose;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.SessionEnd;
import io.grpc.Status;
import java.util.Optional;

/**
 * Reads how a WebSocket session ended exactly as SPEC.md PRS-WS-11 tells a client to: from {@code session_end} when
 * one arrived, otherwise from the Close code, and a refused handshake from its HTTP status.
 */
final class WebSocketEnds {

  private WebSocketEnds() {}

  /**
   * The end of a session whose connection closed.
   *
   * @param sessionEnd the {@code session_end} frame received, if any
   * @param close the Close frame, or code 1006 for none
   */
  static CallEnd closed(Optional<SessionEnd> sessionEnd, WebSocketClose close) {
    if (sessionEnd.isPresent()) {
      SessionEnd e = sessionEnd.get();
      return new CallEnd(Status.fromCodeValue(e.getCode()).getCode(), e.getReason(), e.getMetadataMap(),
          e.getMessage(), Optional.of(close));
    }
    int code = close.code();
    Status.Code read = WebSocketBinding.codeOfClose(code);
    if (code == WebSocketBinding.CLOSE_NORMAL) {
      return CallEnd.bare(read, close.reason(), Optional.of(close));
    }
    if (WebSocketBinding.closeCode(read) == code) {
      return new CallEnd(read, close.reason(), java.util.Map.of(), "Close " + code, Optional.of(close));
    }
    return CallEnd.bare(read, close.code() == Observation.WebSocketClosed.NO_CLOSE_FRAME
        ? "connection closed without a Close frame" : "Close " + code + " " + close.reason(), Optional.of(close));
  }

  /**
   * The end of a session whose opening handshake was refused with an HTTP status.
   *
   * @param httpStatus the status of the handshake's response
   */
  static CallEnd refused(int httpStatus) {
    return CallEnd.bare(WebSocketBinding.codeOfHandshakeStatus(httpStatus), "handshake answered with HTTP " + httpStatus, Optional.empty());
  }

  /**
   * The end of a session whose handshake failed without an HTTP refusal: no connection, or a response the kit's
   * WebSocket client rejected.
   *
   * @param why what went wrong
   */
  static CallEnd failed(String why) {
    return CallEnd.bare(Status.Code.UNAVAILABLE, "handshake failed: " + why, Optional.empty());
  }
}
