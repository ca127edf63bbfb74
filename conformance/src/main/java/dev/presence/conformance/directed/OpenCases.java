package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.endOfOpen;
import static dev.presence.conformance.directed.Expect.everyone;
import static dev.presence.conformance.directed.Expect.expectEnd;
import static dev.presence.conformance.directed.Expect.expectUnsupportedVersion;
import static dev.presence.conformance.directed.Expect.limit;
import static dev.presence.conformance.directed.Expect.marked;
import static dev.presence.conformance.directed.Expect.open;
import static dev.presence.conformance.directed.Expect.update;

import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.Binding;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.Unsubscribe;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.List;

/** Opening a session, Draft 2: the order of fatal checks, version 0, pipelining and version paths. */
final class OpenCases {

  private static final String BAD_ROOM = "no spaces!";
  private static final java.util.Map<Binding, String> V2_PATHS = java.util.Map.of(
      Binding.GRPC, "/presence.v2.PresenceService/Connect", Binding.WEBSOCKET, "/presence.v2");

  private OpenCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-OPN-9",
            "When the first frame meets several fatal conditions, the server MUST end the call with the first "
                + "that applies in this order",
            "FRAME_TOO_LARGE (PRS-TRN-6)",
            "UNSUPPORTED_VERSION (PRS-OPN-3); INVALID_ROOM_ID (PRS-OPN-2); UNAUTHENTICATED (PRS-IDN-2, "
                + "PRS-IDN-3)",
            "TOO_MANY_SESSIONS (PRS-LIM-3).")
            .by(OpenCases::firstApplicableFaultWins),
        DirectedCase.checks("PRS-OPN-10",
            "Open.protocol_version 0, the proto3 default that a client sends when it forgets the field, is not "
                + "a version: the server MUST answer it as PRS-OPN-3 says.")
            .by(p -> expectUnsupportedVersion("protocol_version 0",
                endOfOpen(p, p.start("u1"), open(p.openFrame("u1").setProtocolVersion(0))))),
        DirectedCase.checks("PRS-OPN-11",
            "The server MUST process them in order after the open succeeds, with opened still its first frame")
            .by(OpenCases::pipelinedFramesRunInOrder),
        DirectedCase.checks("PRS-OPN-11",
            "and MUST discard them if the open fails.")
            .by(OpenCases::pipelinedFramesOfAFailedOpenAreDiscarded),
        DirectedCase.checks("PRS-EVO-7",
            "in every package Open.protocol_version MUST be N, and a server MUST answer any other value as "
                + "PRS-OPN-3 says.",
            "On the WebSocket binding the path /presence.vN and the subprotocol presence.vN select version N")
            .by(OpenCases::pathSelectsTheVersion));
  }

  private static void firstApplicableFaultWins(Probe p) throws InterruptedException {
    long maxInbound = limit(p.join("u1").opened().getLimits().getMaxInboundFrameBytes());
    expectUnsupportedVersion("version 0 and a bad room id",
        endOfOpen(p, p.start("u2"), open(p.openFrame("u2").setProtocolVersion(0).setRoomId(BAD_ROOM))));
    expectEnd("a bad room id and bad credentials", endOfOpen(p, startWithBadCredentials(p),
        open(badCredentialsOpen(p).setRoomId(BAD_ROOM))), Status.Code.INVALID_ARGUMENT, "INVALID_ROOM_ID");
    expectUnsupportedVersion("version 99 and bad credentials", endOfOpen(p, startWithBadCredentials(p),
        open(badCredentialsOpen(p).setProtocolVersion(99))));
    expectEnd("an oversized open frame with version 0", endOfOpen(p, p.start("u2"),
        open(p.openFrame("u2").setProtocolVersion(0).setClientAgent("a".repeat((int) maxInbound * 2)))),
        Status.Code.RESOURCE_EXHAUSTED, "FRAME_TOO_LARGE");
    expectEnd("a follow with an invalid user_id as the first frame", endOfOpen(p, p.start("u2"),
        ConnectRequest.newBuilder().setFollow(Follow.newBuilder().setUserId("\u0000")).build()),
        Status.Code.INVALID_ARGUMENT, "OPEN_REQUIRED");
    versionBeatsTooManySessions(p);
  }

  private static void versionBeatsTooManySessions(Probe p) throws InterruptedException {
    long max = limit(p.limits().getMaxSessionsPerUser());
    if (max > 64) {
      return;
    }
    for (int i = 0; i < max; i++) {
      p.join("u3");
    }
    expectUnsupportedVersion("version 0 from a user at max_sessions_per_user",
        endOfOpen(p, p.start("u3"), open(p.openFrame("u3").setProtocolVersion(0))));
  }

  private static RawSession startWithBadCredentials(Probe p) {
    if (!p.credentials().verifiedByServer()) {
      return p.start("u2");
    }
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer not-a-valid-token");
    return p.startWith(headers);
  }

  private static dev.presence.protocol.v1.Open.Builder badCredentialsOpen(Probe p) {
    dev.presence.protocol.v1.Open.Builder open = p.openFrame("u2");
    return p.credentials().verifiedByServer() ? open : open.setDevUserId("\u0000");
  }

  private static void pipelinedFramesRunInOrder(Probe p) throws InterruptedException {
    RawSession s = p.start("u1");
    int from = p.mark();
    s.send(open(p.openFrame("u1")));
    s.send(update(0, marked("piped")));
    s.send(ConnectRequest.newBuilder().setRequestId(21).setSubscribe(Subscribe.newBuilder()
        .setSubscriptionId("p").setTarget(everyone())).build());
    s.send(ConnectRequest.newBuilder().setRequestId(22).setFollow(Follow.newBuilder().setUserId("someone")).build());
    s.send(ConnectRequest.newBuilder().setRequestId(23).setUnsubscribe(Unsubscribe.newBuilder()
        .setSubscriptionId("p")).build());
    p.await(s, from, r -> r.hasAck() && r.getAck().getRequestId() == 23, "the ack of the last pipelined frame");
    List<ConnectResponse> got = p.receivedSince(s, from);
    if (!got.get(0).hasOpened()) {
      throw new CaseFailure("the first frame after a pipelined open was " + got.get(0).getFrameCase());
    }
    String self = got.get(0).getOpened().getSelf().getUserId();
    int snapshotComplete = indexOf(got, r -> r.hasSnapshotComplete() && r.getSnapshotComplete().getRequestId() == 21);
    int ownState = indexOf(got, r -> r.getPresence().getEventsList().stream().anyMatch(e -> e.getUserId()
        .equals(self) && e.getState().equals(marked("piped")) && e.getSubscriptionIdsList().contains("p")));
    int followAck = indexOf(got, r -> r.hasAck() && r.getAck().getRequestId() == 22);
    int unsubscribeAck = indexOf(got, r -> r.hasAck() && r.getAck().getRequestId() == 23);
    if (ownState < 0 || ownState > snapshotComplete) {
      throw new CaseFailure("the snapshot of a subscribe pipelined after update_state lacked the session's own "
          + "state, so the frames were not processed in order");
    }
    if (!(snapshotComplete < followAck && followAck < unsubscribeAck)) {
      throw new CaseFailure("answers to pipelined subscribe, follow, unsubscribe arrived at positions "
          + snapshotComplete + ", " + followAck + ", " + unsubscribeAck + ", not in frame order");
    }
  }

  private static int indexOf(List<ConnectResponse> frames, java.util.function.Predicate<ConnectResponse> match) {
    for (int i = 0; i < frames.size(); i++) {
      if (match.test(frames.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static void pipelinedFramesOfAFailedOpenAreDiscarded(Probe p) throws InterruptedException {
    RawSession s = p.start("u1");
    int from = p.mark();
    s.send(open(p.openFrame("u1").setRoomId(BAD_ROOM)));
    s.send(update(0, marked("never")));
    s.send(ConnectRequest.newBuilder().setRequestId(31).setFollow(Follow.newBuilder().setUserId("x")).build());
    expectEnd("a refused open followed by pipelined frames", p.awaitEnd(s, from), Status.Code.INVALID_ARGUMENT,
        "INVALID_ROOM_ID");
    List<ConnectResponse> got = p.receivedSince(s, from);
    if (!got.isEmpty()) {
      throw new CaseFailure("a refused open's pipelined frames were answered: " + got.get(0).getFrameCase());
    }
  }

  private static void pathSelectsTheVersion(Probe p) throws InterruptedException {
    expectUnsupportedVersion("protocol_version 2 on the presence.v1 path",
        endOfOpen(p, p.start("u1"), open(p.openFrame("u1").setProtocolVersion(2))));
    for (Binding binding : p.endpoints().bindings()) {
      RawSession v2 = p.startVersion(p.endpoint(binding), 2, "u1");
      Observation.Ended ended = endOfOpen(p, v2, open(p.openFrame("u1")));
      boolean unimplemented = ended.code() == Status.Code.UNIMPLEMENTED;
      boolean v2Refuses = ended.code() == Status.Code.FAILED_PRECONDITION
          && ended.errorInfoReason().equals("UNSUPPORTED_VERSION");
      if (!unimplemented && !v2Refuses) {
        throw new CaseFailure("an open with protocol_version 1 on " + V2_PATHS.get(binding) + " should end "
            + "UNIMPLEMENTED (no v2; on WebSocket a handshake refused with 404) or UNSUPPORTED_VERSION (v2 spoken); "
            + "ended " + ended.code() + " " + ended.errorInfoReason() + " (" + ended.description() + ")");
      }
    }
  }
}
