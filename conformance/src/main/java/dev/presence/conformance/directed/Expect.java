package dev.presence.conformance.directed;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.UpdateState;
import io.grpc.Status;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The frames and expectations directed cases share. */
final class Expect {

  /**
   * A server may end a call on its headers alone (an unknown method path, refused credentials) before the kit's
   * first frame is even sent, so the end of a call being opened is looked for from the start of the history.
   */
  private static final int SINCE_THE_CALL_STARTED = 0;

  private Expect() {}

  static SyncTarget everyone() {
    return SyncTarget.newBuilder().setAllUsers(dev.presence.protocol.v1.AllUsers.getDefaultInstance()).build();
  }

  static void fatalOnOpen(Probe p, Consumer<ConnectRequest.Builder> first, Status.Code code, String reason)
      throws InterruptedException {
    RawSession s = p.start("u1");
    ConnectRequest.Builder frame = ConnectRequest.newBuilder();
    first.accept(frame);
    s.send(frame.build());
    expectEnd(p.awaitEnd(s, SINCE_THE_CALL_STARTED), code, reason);
  }

  static void expectEnd(Observation.Ended ended, Status.Code code, String reason) {
    if (ended.code() != code || !ended.errorInfoReason().equals(reason)) {
      throw new CaseFailure("expected " + code + " with ErrorInfo reason " + reason + " (domain presence.v1); got "
          + ended.code() + " with reason '" + ended.errorInfoReason() + "'");
    }
  }

  /** Sends one frame on an opened session and expects that error, then proves the session still works. */
  static void nonFatal(Probe p, UnaryOperator<ConnectRequest.Builder> frame,
      ErrorReason expected) throws InterruptedException {
    Joined j = p.join("u1");
    int from = p.mark();
    j.session().send(frame.apply(ConnectRequest.newBuilder().setRequestId(41)).build());
    ConnectResponse error = p.await(j.session(), from, ConnectResponse::hasError, "a ProtocolError " + expected);
    if (error.getError().getReason() != expected) {
      throw new CaseFailure("expected ProtocolError " + expected + "; got " + error.getError().getReason());
    }
    stillAlive(p, j.session());
  }

  static void stillAlive(Probe p, RawSession s) throws InterruptedException {
    int from = p.mark();
    long nonce = 0xA11FEL;
    s.send(ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build());
    p.await(s, from, r -> r.hasPong() && r.getPong().getNonce() == nonce, "the session to go on (a pong)");
  }

  static Struct stateOfSize(int bytes) {
    String filler = "x".repeat(Math.max(0, bytes));
    return Struct.newBuilder().putFields("blob", Value.newBuilder().setStringValue(filler).build()).build();
  }

  static Struct marked(String marker) {
    return Struct.newBuilder().putFields("mark", Value.newBuilder().setStringValue(marker).build()).build();
  }

  static void send(RawSession s, Struct state) {
    s.send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(state)).build());
  }

  static PresenceEvent awaitEvent(Probe p, RawSession s, int from, String user, String what)
      throws InterruptedException {
    ConnectResponse r = p.await(s, from, x -> x.hasPresence() && x.getPresence().getEventsList().stream()
        .anyMatch(e -> e.getUserId().equals(user)), what);
    return r.getPresence().getEventsList().stream().filter(e -> e.getUserId().equals(user)).reduce((a, b) -> b)
        .orElseThrow();
  }

  /** Ends as expected, else fails with the label saying which input it was. */
  static void expectEnd(String label, Observation.Ended ended, Status.Code code, String reason) {
    try {
      expectEnd(ended, code, reason);
    } catch (CaseFailure f) {
      throw new CaseFailure(label + ": " + f.getMessage());
    }
  }

  /** The ErrorInfo of UNSUPPORTED_VERSION must list the versions the server speaks, 1 among them. */
  static void expectUnsupportedVersion(String label, Observation.Ended ended) {
    expectEnd(label, ended, Status.Code.FAILED_PRECONDITION, "UNSUPPORTED_VERSION");
    String versions = ended.errorInfoMetadata().getOrDefault("supported_versions", "");
    if (!versions.matches("[0-9]+(,[0-9]+)*") || !java.util.List.of(versions.split(",")).contains("1")) {
      throw new CaseFailure(label + ": ErrorInfo metadata supported_versions should list 1; was '" + versions + "'");
    }
  }

  /** Sends a first frame on a new call and returns how the call ended. */
  static Observation.Ended endOfOpen(Probe p, RawSession s, ConnectRequest first) throws InterruptedException {
    s.send(first);
    return p.awaitEnd(s, SINCE_THE_CALL_STARTED);
  }

  /** Sends bytes as the first message of a new call and returns how the call ended. */
  static Observation.Ended endOfOpen(Probe p, RawSession s, byte[] first) throws InterruptedException {
    s.sendBytes(first);
    return p.awaitEnd(s, SINCE_THE_CALL_STARTED);
  }

  /** Wraps an open frame. */
  static ConnectRequest open(dev.presence.protocol.v1.Open.Builder open) {
    return ConnectRequest.newBuilder().setOpen(open).build();
  }

  /**
   * Sends a frame on an opened session and returns its answer: the first ack, snapshot_complete or ProtocolError
   * carrying its request_id (any ProtocolError when the request_id is 0).
   */
  static ConnectResponse answer(Probe p, RawSession s, ConnectRequest frame) throws InterruptedException {
    int from = p.mark();
    s.send(frame);
    long id = frame.getRequestId();
    return p.await(s, from, r -> id == 0 ? r.hasError() : answersRequest(r, id),
        "an answer to " + frame.getFrameCase() + " request_id " + id);
  }

  /** Returns whether a frame is an answer (ack, snapshot_complete, error) carrying a request_id. */
  static boolean answersRequest(ConnectResponse r, long id) {
    return (r.hasAck() && r.getAck().getRequestId() == id)
        || (r.hasSnapshotComplete() && r.getSnapshotComplete().getRequestId() == id)
        || (r.hasError() && r.getError().getRequestId() == id);
  }

  /** Sends a frame and expects a ProtocolError with that reason; returns the error. */
  static dev.presence.protocol.v1.ProtocolError expectError(String label, Probe p, RawSession s,
      ConnectRequest frame, ErrorReason expected) throws InterruptedException {
    ConnectResponse r = answer(p, s, frame);
    if (!r.hasError() || r.getError().getReason() != expected) {
      throw new CaseFailure(label + ": expected ProtocolError " + expected + "; got "
          + (r.hasError() ? "ProtocolError " + r.getError().getReason() : r.getFrameCase()));
    }
    return r.getError();
  }

  /** Fails if a session received any presence after a position, after waiting the delivery bound. */
  static void noPresenceSince(String label, Probe p, RawSession s, int from) throws InterruptedException {
    p.quietPeriod();
    for (ConnectResponse r : p.receivedSince(s, from)) {
      if (r.hasPresence()) {
        throw new CaseFailure(label + ": received presence after a rejected state: " + r.getPresence());
      }
    }
  }

  /** Returns a frame that updates the state. */
  static ConnectRequest update(long requestId, Struct state) {
    return ConnectRequest.newBuilder().setRequestId(requestId)
        .setUpdateState(UpdateState.newBuilder().setState(state)).build();
  }

  /** Returns an unsigned limit as a long. */
  static long limit(int wireValue) {
    return Integer.toUnsignedLong(wireValue);
  }
}
