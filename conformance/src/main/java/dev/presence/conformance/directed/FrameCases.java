package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.endOfOpen;
import static dev.presence.conformance.directed.Expect.expectEnd;
import static dev.presence.conformance.directed.Expect.limit;
import static dev.presence.conformance.directed.Expect.open;
import static dev.presence.conformance.directed.Expect.stillAlive;
import static dev.presence.conformance.directed.Expect.update;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.RawSession;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import io.grpc.Status;
import java.util.List;

/** Frame sizes and undecodable frames: PRS-TRN-6, PRS-TRN-7, PRS-TRN-9. */
final class FrameCases {

  /** Bytes that no protobuf parser accepts: field 1 with wire type 7, which does not exist. */
  static final byte[] INVALID_WIRE_TYPE = {0x0F, 0x00};
  /** An open field whose length prefix (5) runs past the end of the message. */
  static final byte[] TRUNCATED = {0x12, 0x05, 0x0A};
  private static final long MAX_OPENED_BYTES = 4_194_304;

  private FrameCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-TRN-6",
            "On either binding a server MUST accept inbound frames up to Limits.max_inbound_frame_bytes bytes of "
                + "protobuf encoding.")
            .by(FrameCases::framesUpToTheLimitAreAccepted),
        DirectedCase.checks("PRS-TRN-6",
            "A larger frame MUST end the call with RESOURCE_EXHAUSTED, reason FRAME_TOO_LARGE, before or after "
                + "opened, at every size up to 16 times max_inbound_frame_bytes.")
            .by(FrameCases::largerFramesEndTheCall),
        DirectedCase.checks("PRS-TRN-7",
            "Every frame a server sends after opened MUST be at most Limits.max_outbound_frame_bytes bytes of "
                + "protobuf encoding, and opened itself MUST be at most 4194304 bytes.")
            .by(FrameCases::stalledSubscriberGetsBoundedFrames),
        DirectedCase.checks("PRS-TRN-9",
            "As the first frame it MUST end the call with INVALID_ARGUMENT, reason MALFORMED_FRAME")
            .by(FrameCases::undecodableFirstFrameIsFatal),
        DirectedCase.checks("PRS-TRN-9",
            "after opened it MUST get a ProtocolError with reason MALFORMED_FRAME and request_id zero, and the "
                + "session MUST continue.")
            .by(FrameCases::undecodableLaterFrameIsAnError));
  }

  private static void framesUpToTheLimitAreAccepted(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    int max = (int) limit(j.opened().getLimits().getMaxInboundFrameBytes());
    ConnectRequest atLimit = update(5, States.ofEncodedSize("edge", max - 16));
    while (atLimit.getSerializedSize() > max) {
      atLimit = update(5, States.ofEncodedSize("edge", max - 16 - (atLimit.getSerializedSize() - max)));
    }
    j.session().send(atLimit);
    stillAlive(p, j.session());
  }

  private static void largerFramesEndTheCall(Probe p) throws InterruptedException {
    long max = limit(p.join("u1").opened().getLimits().getMaxInboundFrameBytes());
    for (int factor : new int[] {2, 10}) {
      int size = (int) Math.min(Integer.MAX_VALUE - 64, max * factor);
      expectEnd(factor + " x max_inbound_frame_bytes as the first frame", endOfOpen(p, p.start("u1"),
          open(p.openFrame("u1").setClientAgent("a".repeat(size)))), Status.Code.RESOURCE_EXHAUSTED,
          "FRAME_TOO_LARGE");
      Joined j = p.join("u1");
      expectEnd(factor + " x max_inbound_frame_bytes after opened", endOfOpen(p, j.session(),
          update(0, States.ofEncodedSize("big", size))), Status.Code.RESOURCE_EXHAUSTED, "FRAME_TOO_LARGE");
    }
  }

  private static void undecodableFirstFrameIsFatal(Probe p) throws InterruptedException {
    for (byte[] bytes : List.of(INVALID_WIRE_TYPE, TRUNCATED)) {
      expectEnd("undecodable first frame " + java.util.HexFormat.of().formatHex(bytes),
          endOfOpen(p, p.start("u1"), bytes), Status.Code.INVALID_ARGUMENT, "MALFORMED_FRAME");
    }
  }

  private static void undecodableLaterFrameIsAnError(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    for (byte[] bytes : List.of(INVALID_WIRE_TYPE, TRUNCATED)) {
      int from = p.mark();
      j.session().sendBytes(bytes);
      ConnectResponse r = p.await(j.session(), from, ConnectResponse::hasError, "ProtocolError MALFORMED_FRAME");
      if (r.getError().getReason() != ErrorReason.ERROR_REASON_MALFORMED_FRAME || r.getError().getRequestId() != 0) {
        throw new CaseFailure("undecodable frame " + java.util.HexFormat.of().formatHex(bytes) + " after opened "
            + "should get ProtocolError MALFORMED_FRAME with request_id 0; got " + r.getError().getReason()
            + " with request_id " + r.getError().getRequestId());
      }
      stillAlive(p, j.session());
    }
  }

  private static void stalledSubscriberGetsBoundedFrames(Probe p) throws InterruptedException {
    Joined watcher = p.join("watcher");
    long bound = limit(watcher.opened().getLimits().getMaxOutboundFrameBytes());
    if (bound == 0) {
      throw new CaseFailure("max_outbound_frame_bytes is not advertised (0)");
    }
    p.subscribeAll(watcher.session(), "w");
    Crowd crowd = Crowd.over(p, watcher.opened().getLimits(), bound);
    int from = p.mark();
    watcher.session().pauseReading();
    crowd.sendStates("a");
    crowd.sendStates("b");
    Joined late = p.join("late");
    p.subscribeAll(late.session(), "snap");
    watcher.session().resumeReading();
    crowd.awaitRound(p, watcher.session(), from, "b", 0);
    checkBound(p, watcher.session(), from, bound);
    checkBound(p, late.session(), from, bound);
  }

  private static void checkBound(Probe p, RawSession s, int from, long bound) {
    for (ConnectResponse r : p.receivedSince(s, from)) {
      long limit = r.hasOpened() ? MAX_OPENED_BYTES : bound;
      if (r.getSerializedSize() > limit) {
        throw new CaseFailure(s.name() + " received a " + r.getFrameCase() + " frame of " + r.getSerializedSize()
            + " bytes" + (r.hasPresence() ? " (" + r.getPresence().getEventsCount() + " events)" : "")
            + "; the bound is " + limit);
      }
    }
  }
}
