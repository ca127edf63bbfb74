package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.everyone;
import static dev.presence.conformance.directed.Expect.limit;
import static dev.presence.conformance.directed.Expect.marked;
import static dev.presence.conformance.directed.Expect.stillAlive;
import static dev.presence.conformance.directed.Expect.update;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.directed.WsWire.Ending;
import dev.presence.conformance.driver.RawWebSocket;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.SessionEnd;
import dev.presence.protocol.v1.Subscribe;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Sessions and frames on the WebSocket binding, Draft 3: one connection per session (PRS-WS-1), binary messages
 * and their fragments (PRS-WS-4), text messages (PRS-WS-5) and oversized messages (PRS-WS-16). They need a
 * {@code ws://} or {@code wss://} endpoint and are NOT-APPLICABLE without one.
 */
final class WebSocketFrameCases {

  private static final int MAX_OVERSHOOT_BYTES = 8;
  private static final int HUGE_FACTOR = 17;
  private static final int TOO_BIG_FACTOR = 16;
  private static final int CLOSE_MESSAGE_TOO_BIG = 1009;

  private WebSocketFrameCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-WS-1",
            "On the WebSocket binding a session MUST be one WebSocket connection whose opening handshake requests "
                + "the path /presence.v1")
            .by(WebSocketFrameCases::sessionIsOneConnection),
        DirectedCase.checks("PRS-WS-4",
            "Each frame MUST travel as one binary message whose payload is the protobuf encoding of one "
                + "ConnectRequest (client to server) or one ConnectResponse (server to client), with no prefix.",
            "A message MAY be fragmented into several WebSocket frames (RFC 6455 §5.4), and receivers MUST "
                + "reassemble it")
            .by(WebSocketFrameCases::fragmentsAreReassembled),
        DirectedCase.checks("PRS-WS-4",
            "the size of a frame in PRS-TRN-6, PRS-TRN-7, PRS-TRN-8 and PRS-LIM-4 is the size of the whole "
                + "message's payload.")
            .by(WebSocketFrameCases::fragmentsCountAsOneMessage),
        DirectedCase.checks("PRS-WS-5",
            "A text message from the client MUST end the call with INVALID_ARGUMENT, reason MALFORMED_FRAME, before "
                + "or after opened")
            .by(WebSocketFrameCases::textMessagesEndTheCall),
        DirectedCase.checks("PRS-WS-5",
            "A binary message that does not decode as a ConnectRequest is a malformed frame under PRS-TRN-9.")
            .by(WebSocketFrameCases::undecodableBinaryIsMalformed),
        DirectedCase.checks("PRS-WS-16",
            "A message whose payload exceeds Limits.max_inbound_frame_bytes MUST end the call with "
                + "RESOURCE_EXHAUSTED, reason FRAME_TOO_LARGE (PRS-TRN-6).",
            "Only when the message exceeds 16 times that limit MAY the server instead close the connection with "
                + "code 1009 and no session_end")
            .by(WebSocketFrameCases::oversizedMessagesEndTheCall));
  }

  private static void sessionIsOneConnection(Probe p) throws InterruptedException {
    Joined a = p.joinOn(p.webSocket(), "u1");
    Joined b = p.joinOn(p.webSocket(), "u1");
    if (a.opened().getSessionId().equals(b.opened().getSessionId())) {
      throw new CaseFailure("two WebSocket connections got the same session_id " + a.opened().getSessionId());
    }
    stillAlive(p, a.session());
    stillAlive(p, b.session());
  }

  /**
   * An open in three fragments, then a state in four with a Ping between the second and third, which RFC 6455 §5.5
   * lets a sender put inside a fragmented message; every message back must be binary and decode.
   */
  private static void fragmentsAreReassembled(Probe p) throws InterruptedException {
    WsWire wire = WsWire.upgrade(p, "u1", 0);
    wire.sendFragmented(ConnectRequest.newBuilder().setOpen(p.openFrame("u1")).build(), 3);
    String self = wire.await(ConnectResponse::hasOpened, "opened, for an open sent in three fragments",
        p.timing().requestTimeout()).getOpened().getSelf().getUserId();
    byte[] state = update(0, marked("fragmented")).toByteArray();
    byte[][] parts = split(state, 4);
    byte[] between = "between fragments".getBytes(StandardCharsets.UTF_8);
    wire.write(() -> {
      wire.socket().sendFrame(false, RawWebSocket.BINARY, parts[0]);
      wire.socket().sendFrame(false, RawWebSocket.CONTINUATION, parts[1]);
      wire.socket().sendFrame(true, RawWebSocket.PING, between);
      wire.socket().sendFrame(false, RawWebSocket.CONTINUATION, parts[2]);
      wire.socket().sendFrame(true, RawWebSocket.CONTINUATION, parts[3]);
    });
    wire.send(ConnectRequest.newBuilder().setRequestId(7).setSubscribe(Subscribe.newBuilder()
        .setSubscriptionId("own").setTarget(everyone())).build());
    boolean pong = false;
    boolean ownState = false;
    long deadline = System.nanoTime() + p.timing().requestTimeout().toNanos();
    while (!(pong && ownState)) {
      java.util.Optional<WsWire.Event> next = wire.next(java.time.Duration.ofNanos(
          Math.max(0, deadline - System.nanoTime())));
      if (next.isEmpty()) {
        throw new CaseFailure("after a state sent in four fragments around a Ping, expected the Pong and the "
            + "state in the snapshot; " + (pong ? "the snapshot lacked the state" : "no Pong came"));
      }
      WsWire.Event e = next.get();
      if (e instanceof WsWire.Pong q && Arrays.equals(q.payload(), between)) {
        pong = true;
      } else if (e instanceof WsWire.Frame f && f.frame().getPresence().getEventsList().stream()
          .anyMatch(ev -> ev.getUserId().equals(self) && ev.getState().equals(marked("fragmented")))) {
        ownState = true;
      } else if (e instanceof WsWire.Frame f && f.frame().hasSnapshotComplete() && !ownState) {
        throw new CaseFailure("the snapshot after a state sent in four fragments did not hold it");
      } else if (e instanceof WsWire.Closed c) {
        throw new CaseFailure("the connection closed after fragmented messages: " + c.describe());
      }
    }
  }

  private static byte[][] split(byte[] bytes, int parts) {
    byte[][] out = new byte[parts][];
    int size = (bytes.length + parts - 1) / parts;
    for (int i = 0; i < parts; i++) {
      out[i] = Arrays.copyOfRange(bytes, Math.min(bytes.length, i * size), Math.min(bytes.length, (i + 1) * size));
    }
    return out;
  }

  private static void fragmentsCountAsOneMessage(Probe p) throws InterruptedException {
    WsWire.Joined j = WsWire.join(p, "u1", 0);
    long max = limit(j.opened().getLimits().getMaxInboundFrameBytes());
    ConnectRequest tooBig = frameOfSize((int) max + 1);
    j.wire().sendFragmented(tooBig, 8);
    expectEnd("a message of max_inbound_frame_bytes + 1 in 8 fragments, each under the limit",
        j.wire().awaitEnding(p.timing().requestTimeout()), Status.Code.RESOURCE_EXHAUSTED, "FRAME_TOO_LARGE");
  }

  private static void textMessagesEndTheCall(Probe p) throws InterruptedException {
    WsWire before = WsWire.upgrade(p, "u1", 0);
    before.write(() -> before.socket().sendMessage(RawWebSocket.TEXT,
        "{\"open\":{}}".getBytes(StandardCharsets.UTF_8)));
    expectEnd("a text message before opened", before.awaitEnding(p.timing().requestTimeout()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED_FRAME");
    WsWire after = WsWire.join(p, "u1", 0).wire();
    after.write(() -> after.socket().sendMessage(RawWebSocket.TEXT, "ping".getBytes(StandardCharsets.UTF_8)));
    expectEnd("a text message after opened", after.awaitEnding(p.timing().requestTimeout()),
        Status.Code.INVALID_ARGUMENT, "MALFORMED_FRAME");
  }

  private static void undecodableBinaryIsMalformed(Probe p) throws InterruptedException {
    Joined j = p.joinOn(p.webSocket(), "u1");
    int from = p.mark();
    j.session().sendBytes(FrameCases.INVALID_WIRE_TYPE);
    ConnectResponse r = p.await(j.session(), from, ConnectResponse::hasError, "ProtocolError MALFORMED_FRAME");
    if (r.getError().getReason() != ErrorReason.ERROR_REASON_MALFORMED_FRAME || r.getError().getRequestId() != 0) {
      throw new CaseFailure("a binary message that is no ConnectRequest, after opened, should get ProtocolError "
          + "MALFORMED_FRAME with request_id 0; got " + r.getError().getReason());
    }
    stillAlive(p, j.session());
  }

  /**
   * Just over the limit after opened, and exactly 16 times it as the first message, must end FRAME_TOO_LARGE; 17
   * times it may end so or close 1009.
   */
  private static void oversizedMessagesEndTheCall(Probe p) throws InterruptedException {
    WsWire.Joined j = WsWire.join(p, "u1", 0);
    long max = limit(j.opened().getLimits().getMaxInboundFrameBytes());
    j.wire().send(frameOfSize((int) max + 1));
    expectEnd("a message of max_inbound_frame_bytes + 1 after opened",
        j.wire().awaitEnding(p.timing().requestTimeout()), Status.Code.RESOURCE_EXHAUSTED, "FRAME_TOO_LARGE");
    WsWire first = WsWire.upgrade(p, "u1", 0);
    first.send(frameOfSize((int) (TOO_BIG_FACTOR * max)));
    expectEnd("a first message of 16 x max_inbound_frame_bytes", first.awaitEnding(p.timing().requestTimeout()),
        Status.Code.RESOURCE_EXHAUSTED, "FRAME_TOO_LARGE");
    WsWire huge = WsWire.join(p, "u1", 0).wire();
    long sent = huge.socket().sendOversized(HUGE_FACTOR * max + 1);
    Ending ending = huge.awaitEnding(p.timing().requestTimeout());
    if (ending.sessionEnd().isEmpty() && ending.close().code() == CLOSE_MESSAGE_TOO_BIG) {
      return;
    }
    try {
      expectEnd("a message of 17 x max_inbound_frame_bytes", ending, Status.Code.RESOURCE_EXHAUSTED,
          "FRAME_TOO_LARGE");
    } catch (CaseFailure f) {
      throw new CaseFailure(f.getMessage() + " (or Close 1009 without session_end); the server took " + sent
          + " bytes of it");
    }
  }

  /** An update_state whose encoding is at most {@code bytes} long and at most a few bytes shorter. */
  static ConnectRequest frameOfSize(int bytes) {
    ConnectRequest frame = update(0, States.ofEncodedSize("size", bytes - 16));
    for (int attempt = 0; attempt < 4 && frame.getSerializedSize() != bytes; attempt++) {
      int target = bytes - 16 - (frame.getSerializedSize() - bytes);
      frame = update(0, States.ofEncodedSize("size", target));
      if (frame.getSerializedSize() < bytes && frame.getSerializedSize() >= bytes - MAX_OVERSHOOT_BYTES) {
        break;
      }
    }
    if (frame.getSerializedSize() > bytes || frame.getSerializedSize() < bytes - MAX_OVERSHOOT_BYTES) {
      throw new IllegalStateException("cannot make a frame of " + bytes + " bytes: " + frame.getSerializedSize());
    }
    return frame;
  }

  /**
   * The session must have ended with a session_end of that code and reason, then a Close frame of 4000 + the code
   * with the reason, and no frame between them (PRS-WS-10).
   */
  static void expectEnd(String label, Ending ending, Status.Code code, String reason) {
    SessionEnd end = ending.sessionEnd().orElseThrow(() -> new CaseFailure(label + ": expected session_end "
        + code + " " + reason + "; the connection closed " + ending.close().describe() + " without one"));
    if (end.getCode() != code.value() || !end.getReason().equals(reason)) {
      throw new CaseFailure(label + ": expected session_end " + code + " " + reason + "; got code " + end.getCode()
          + " reason '" + end.getReason() + "'");
    }
    int close = code == Status.Code.OK ? 1000 : 4000 + code.value();
    if (ending.close().code() != close || !ending.close().reason().equals(reason)) {
      throw new CaseFailure(label + ": after session_end " + code + " " + reason + " the Close frame must be "
          + close + " '" + reason + "'; it was " + ending.close().describe());
    }
    if (!ending.afterSessionEnd().isEmpty()) {
      throw new CaseFailure(label + ": " + ending.afterSessionEnd().get(0).getFrameCase()
          + " came after session_end, which must be the last frame");
    }
  }

  /** A ping frame for a raw session, to prove it still works. */
  static ConnectRequest ping(long nonce) {
    return ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build();
  }
}
