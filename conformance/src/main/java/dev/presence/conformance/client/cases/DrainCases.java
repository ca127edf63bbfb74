package dev.presence.conformance.client.cases;

import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.directed.NotApplicable;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Draining;
import dev.presence.protocol.v1.ErrorReason;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Draining, SPEC.md §13.2: the kit's server announces a drain on the SDK's session and judges the move, which the
 * SDK makes to the same kit server on a new connection.
 */
final class DrainCases {
  /** Long enough for any move; the kit never ends the session at the deadline unless a case says so. */
  private static final long DEADLINE_MILLIS = 30_000;

  private DrainCases() {}

  static List<ClientCase> all() {
    return List.of(
        ClientCase.checks("PRS-DRN-6", "draining: a new session on a new connection, restored, leave after its answer",
            "A client that declares `CAPABILITY_DRAIN` MUST, when `draining` arrives on a session, move it: open a "
                + "new session in the same room on a new connection, never on the connection of the old session,",
            "send on it the frames of PRS-RCN-8; and then send `leave` on the old session, but only after an "
                + "answer on the new session to a frame sent after those (a `pong`, or the last "
                + "`snapshot_complete`) shows that the server has processed them,")
            .by(p -> move(p)),
        ClientCase.checks("PRS-DRN-7", "draining: no null during the move, and the new session's events afterwards",
            "A move MUST NOT show the application anything but real changes.",
            "so that a user present on both sessions gets no null and no departure.")
            .by(DrainCases::unseen),
        ClientCase.checks("PRS-DRN-8", "draining: the new open is refused; the old session stays and still serves",
            "If the new session of a move ends before the switch, the client MUST keep the old session and the "
                + "application's view of it, MUST NOT report that end to the application,")
            .by(DrainCases::failedMove),
        ClientCase.checks("PRS-DRN-9", "draining right after the new session's opened: no further move",
            "and MUST NOT move a session it opened by a move whose `draining` arrived as its first frame after "
                + "`opened`.")
            .by(DrainCases::noSecondMove),
        ClientCase.checks("PRS-DRN-9", "draining later on the new session (a rolling restart): a second move",
            "Any other `draining` MUST start a move (PRS-DRN-6), however recently the session was itself opened by "
                + "a move.")
            .by(DrainCases::secondMove));
  }

  private static ConnectResponse draining(long deadlineMillis) {
    return ConnectResponse.newBuilder().setDraining(Draining.newBuilder().setDeadlineMillis(deadlineMillis)).build();
  }

  /** Connects; an SDK that does not declare the capability is not bound by these rules. */
  private static KitCall connectDeclaring(ClientProbe p) throws InterruptedException {
    KitCall old = p.connect();
    if (!old.open().map(o -> o.getCapabilitiesList().contains(Capability.CAPABILITY_DRAIN)).orElse(false)) {
      throw new NotApplicable("the SDK does not declare CAPABILITY_DRAIN; it will simply reconnect after "
          + "SHUTTING_DOWN");
    }
    return old;
  }

  /** A completed move: the session the SDK moved to, and the mark taken before the drain was announced. */
  private record Moved(KitCall next, int start) {}

  private static Moved move(ClientProbe p) throws InterruptedException {
    return move(p, false);
  }

  /** @param toDrainingServer whether the server the SDK moves to is draining already (PRS-DRN-4) */
  private static Moved move(ClientProbe p, boolean toDrainingServer) throws InterruptedException {
    p.room().set("other", p.state("o1"));
    p.room().set("friend", p.state("f1"));
    KitCall old = connectDeclaring(p);
    Restorable before = Restorable.setUp(p, old, "friend");
    int start = p.mark();
    // Answers to the new session's restore are held, so that a leave sent before any answer shows.
    p.autopilot().holdSnapshotComplete(true);
    p.autopilot().answerPings(false);
    if (toDrainingServer) {
      p.autopilot().drainingFromOpen(DEADLINE_MILLIS - 1_000);
    }
    old.send(draining(DEADLINE_MILLIS));
    KitCall next = p.awaitCall(1, p.timing().requestTimeout(), "a new session after draining");
    if (next.remote().equals(old.remote())) {
      throw p.failure("the new session came on the old session's connection (" + old.remote() + "); a load "
          + "balancer could not route it to another server");
    }
    before.expectRestoredOn(p, next);
    old.awaitInbound(ConnectRequest.FrameCase.LEAVE, CallFacts.slack(p));
    p.autopilot().answerPings(true);
    for (Inbound ping : next.inbound(ConnectRequest.FrameCase.PING)) {
      if (!MakeBeforeBreak.answered(next, ping)) {
        next.answer(ping);
      }
    }
    p.autopilot().holdSnapshotComplete(false);
    p.autopilot().releaseSnapshotCompletes();
    Inbound leave = old.awaitInbound(ConnectRequest.FrameCase.LEAVE, p.timing().requestTimeout())
        .orElseThrow(() -> p.failure("the SDK never sent leave on the old session after the move"));
    Optional<Long> proof = MakeBeforeBreak.firstAnswerAfterRestore(next, before.subscribes());
    if (proof.isEmpty() || proof.get() > leave.nanos()) {
      throw p.failure("the SDK sent leave on the old session before the new session answered any frame sent "
          + "after its restore (a pong, or the last snapshot_complete)");
    }
    return new Moved(next, start);
  }

  private static void unseen(ClientProbe p) throws InterruptedException {
    Moved moved = move(p);
    int barrier = p.mark();
    p.room().set("other", p.state("o2"));
    p.awaitChange(barrier, "all", c -> c.getUserId().equals("other") && c.hasState()
        && ClientProbe.label(c.getState()).equals("o2"), "state o2 of other, set after the move");
    noNullSince(p, moved.start(), "during the move");
  }

  private static void failedMove(ClientProbe p) throws InterruptedException {
    p.room().set("other", p.state("o1"));
    KitCall old = connectDeclaring(p);
    Restorable.setUp(p, old);
    int start = p.mark();
    p.autopilot().refuseOpens(1, Status.Code.RESOURCE_EXHAUSTED, ErrorReason.ERROR_REASON_TOO_MANY_SESSIONS);
    old.send(draining(DEADLINE_MILLIS));
    p.awaitCall(1, p.timing().requestTimeout(), "a new session after draining");
    if (old.awaitInbound(ConnectRequest.FrameCase.LEAVE, CallFacts.slack(p)).isPresent()) {
      throw p.failure("the SDK left the old session although its new session was refused");
    }
    int barrier = p.mark();
    p.room().set("other", p.state("o2"));
    p.awaitChange(barrier, "all", c -> c.getUserId().equals("other") && c.hasState()
        && ClientProbe.label(c.getState()).equals("o2"), "state o2 of other, delivered on the old session");
    noNullSince(p, start, "after the refused move");
  }

  private static void noSecondMove(ClientProbe p) throws InterruptedException {
    move(p, true);
    Duration wait = CallFacts.slack(p);
    if (p.server().awaitCall(2, wait).isPresent()) {
      throw p.failure("the SDK moved again on a draining that arrived right after its new session's opened, from a "
          + "server that was draining already");
    }
  }

  private static void secondMove(ClientProbe p) throws InterruptedException {
    Moved moved = move(p);
    moved.next().send(draining(DEADLINE_MILLIS));
    KitCall third = p.awaitCall(2, p.timing().requestTimeout(), "a new session after the second draining");
    if (third.remote().equals(moved.next().remote())) {
      throw p.failure("the second move's session came on the connection it moved off");
    }
    moved.next().awaitInbound(ConnectRequest.FrameCase.LEAVE, p.timing().requestTimeout())
        .orElseThrow(() -> p.failure("the SDK never left the session it moved off the second time"));
    noNullSince(p, moved.start(), "during two moves");
  }

  private static void noNullSince(ClientProbe p, int start, String when) {
    p.reportsSince(start).stream().filter(t -> t.report().hasChange() && !t.report().getChange().hasState())
        .findFirst().ifPresent(t -> {
          throw p.failure("the application saw a null " + when + ": " + CallFacts.describe(t.report()));
        });
  }
}
