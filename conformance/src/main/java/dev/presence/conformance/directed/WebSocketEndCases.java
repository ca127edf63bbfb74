package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.awaitEvent;
import static dev.presence.conformance.directed.Expect.marked;
import static dev.presence.conformance.directed.Expect.send;

import dev.presence.conformance.check.SessionEndChecker;
import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.Binding;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Leave;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.SessionEnd;
import io.grpc.Status;
import java.util.List;
import java.util.Optional;

/**
 * How WebSocket sessions end, Draft 3: {@code session_end} and the Close frame (PRS-WS-10) and the client's Close
 * frame (PRS-WS-12). They need a {@code ws://} or {@code wss://} endpoint and are NOT-APPLICABLE without one.
 */
final class WebSocketEndCases {

  private static final int CLIENT_GOING_AWAY = 1001;

  private WebSocketEndCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-WS-10",
            "Wherever this document says that a server ends the call with a status, a reason and metadata, on this "
                + "binding it MUST send a session_end frame holding the status code's number, the message, the "
                + "ErrorInfo reason (empty when there is none) and the metadata, and then a Close frame: code 1000 "
                + "when the status is OK, otherwise 4000 plus the code's number (4003 for INVALID_ARGUMENT, 4016 for "
                + "UNAUTHENTICATED), with the reason as the Close frame's reason text.",
            "session_end is the last frame of the session.",
            "A server MUST NOT send session_end on the gRPC binding.")
            .by(WebSocketEndCases::sessionEndThenClose),
        DirectedCase.checks("PRS-WS-12",
            "A Close frame from the client with code 1000 MUST end the session as a half-close does",
            "the server answers the Close frame as RFC 6455 requires and sends no session_end.")
            .by(WebSocketEndCases::closeFrameIsAHalfClose),
        DirectedCase.checks("PRS-WS-12",
            "any other end of the connection that the client causes as a cancel does (PRS-END-1)",
            "the server answers the Close frame as RFC 6455 requires and sends no session_end.")
            .by(WebSocketEndCases::otherCloseIsACancel));
  }

  private static void sessionEndThenClose(Probe p) throws InterruptedException {
    RawSession refused = p.startOn(p.webSocket(), "u1");
    refused.send(ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(1)).build());
    sessionEndOf(p, "a ping as the first frame", refused, Status.Code.INVALID_ARGUMENT, "OPEN_REQUIRED");
    RawSession version = p.startOn(p.webSocket(), "u1");
    version.send(ConnectRequest.newBuilder().setOpen(p.openFrame("u1").setProtocolVersion(99)).build());
    SessionEnd unsupported = sessionEndOf(p, "protocol_version 99", version, Status.Code.FAILED_PRECONDITION,
        "UNSUPPORTED_VERSION");
    if (!unsupported.getMetadataMap().getOrDefault("supported_versions", "").matches("[0-9]+(,[0-9]+)*")) {
      throw new CaseFailure("session_end of UNSUPPORTED_VERSION should hold the metadata supported_versions; it "
          + "held " + unsupported.getMetadataMap());
    }
    Joined leaving = p.joinOn(p.webSocket(), "u1");
    leaving.session().send(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
    sessionEndOf(p, "leave", leaving.session(), Status.Code.OK, "");
    Optional<dev.presence.conformance.driver.Endpoint> grpc = p.endpoints().first(Binding.GRPC);
    if (grpc.isPresent()) {
      RawSession onGrpc = p.startOn(grpc.get(), "u1");
      onGrpc.send(ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(1)).build());
      p.awaitEnd(onGrpc, 0);
      if (observations(p, onGrpc).stream().anyMatch(o -> o instanceof Observation.SessionEndReceived)) {
        throw new CaseFailure("a gRPC call refused with OPEN_REQUIRED received session_end");
      }
    }
  }

  /**
   * Waits for the session's end and requires a session_end of that status and reason, its message and metadata
   * matching the end as read, a Close frame that agrees, and no frame after session_end.
   */
  private static SessionEnd sessionEndOf(Probe p, String what, RawSession s, Status.Code code, String reason)
      throws InterruptedException {
    Observation.Ended ended = p.awaitEnd(s, 0);
    List<Observation> seen = observations(p, s);
    SessionEnd end = null;
    Observation.WebSocketClosed close = null;
    for (Observation o : seen) {
      if (o instanceof Observation.SessionEndReceived e) {
        end = e.frame();
      } else if (o instanceof Observation.Received r && end != null) {
        throw new CaseFailure(what + ": " + r.frame().getFrameCase() + " came after session_end");
      } else if (o instanceof Observation.WebSocketClosed c) {
        close = c;
      }
    }
    if (end == null) {
      throw new CaseFailure(what + ": the session ended without session_end ("
          + (close == null ? "no Close frame" : "Close " + close.code() + " '" + close.reason() + "'") + ")");
    }
    if (end.getCode() != code.value() || !end.getReason().equals(reason)) {
      throw new CaseFailure(what + ": expected session_end code " + code.value() + " (" + code + ") reason '" + reason
          + "'; got code " + end.getCode() + " reason '" + end.getReason() + "'");
    }
    Optional<String> wrongClose = close == null ? Optional.of("no Close frame followed session_end")
        : SessionEndChecker.closeAgrees(close, end, false);
    if (wrongClose.isPresent()) {
      throw new CaseFailure(what + ": " + wrongClose.get());
    }
    if (ended.code() != code) {
      throw new CaseFailure(what + ": the end read as " + ended.code());
    }
    return end;
  }

  private static List<Observation> observations(Probe p, RawSession s) {
    return p.since(0).stream().filter(o -> s.name().equals(sessionOf(o))).toList();
  }

  private static String sessionOf(Observation o) {
    if (o instanceof Observation.SessionEndReceived e) {
      return e.session();
    } else if (o instanceof Observation.Received r) {
      return r.session();
    } else if (o instanceof Observation.WebSocketClosed c) {
      return c.session();
    }
    return null;
  }

  private static void closeFrameIsAHalfClose(Probe p) throws InterruptedException {
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    Joined leaver = p.joinOn(p.webSocket(), "u1");
    String user = leaver.opened().getSelf().getUserId();
    int from = p.mark();
    send(leaver.session(), marked("about to close"));
    awaitEvent(p, watcher.session(), from, user, "the state of the session about to close");
    from = p.mark();
    leaver.session().halfClose();
    expectLeftNull(p, watcher, from, user, "Close 1000");
    p.awaitEnd(leaver.session(), 0);
    List<Observation> seen = observations(p, leaver.session());
    if (seen.stream().anyMatch(o -> o instanceof Observation.SessionEndReceived)) {
      throw new CaseFailure("the server sent session_end after the client's Close 1000");
    }
    if (seen.stream().noneMatch(o -> o instanceof Observation.WebSocketClosed c
        && c.code() != Observation.WebSocketClosed.NO_CLOSE_FRAME)) {
      throw new CaseFailure("the server did not answer the client's Close 1000 with a Close frame");
    }
  }

  private static void otherCloseIsACancel(Probe p) throws InterruptedException {
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    WsWire.Joined leaver = WsWire.join(p, "u1", 0);
    String user = leaver.opened().getSelf().getUserId();
    int from = p.mark();
    leaver.wire().send(Expect.update(0, marked("about to go away")));
    awaitEvent(p, watcher.session(), from, user, "the state of the session about to go away");
    from = p.mark();
    leaver.wire().write(() -> leaver.wire().socket().sendClose(CLIENT_GOING_AWAY, "going away"));
    expectLeftNull(p, watcher, from, user, "Close 1001");
    WsWire.Ending ending = leaver.wire().awaitEnding(p.timing().requestTimeout());
    if (ending.sessionEnd().isPresent()) {
      throw new CaseFailure("the server sent session_end after the client's Close 1001");
    }
    if (ending.close().code() == Observation.WebSocketClosed.NO_CLOSE_FRAME) {
      throw new CaseFailure("the server did not answer the client's Close 1001 with a Close frame");
    }
  }

  private static void expectLeftNull(Probe p, Joined watcher, int from, String user, String how)
      throws InterruptedException {
    PresenceEvent e = p.await(watcher.session(), from, r -> r.getPresence().getEventsList().stream()
        .anyMatch(x -> x.getUserId().equals(user) && !x.hasState()), "the null of a session ended by " + how)
        .getPresence().getEventsList().stream().filter(x -> x.getUserId().equals(user) && !x.hasState())
        .findFirst().orElseThrow();
    if (e.getNullReason() != NullReason.NULL_REASON_LEFT) {
      throw new CaseFailure("a session ended by the client's " + how + " should give LEFT; it gave "
          + e.getNullReason());
    }
  }
}
