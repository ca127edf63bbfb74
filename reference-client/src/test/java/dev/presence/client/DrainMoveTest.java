package dev.presence.client;

import static dev.presence.client.testing.FakePresenceServer.ack;
import static dev.presence.client.testing.FakePresenceServer.batch;
import static dev.presence.client.testing.FakePresenceServer.fatal;
import static dev.presence.client.testing.FakePresenceServer.pong;
import static dev.presence.client.testing.FakePresenceServer.snapshotComplete;
import static dev.presence.client.testing.FakePresenceServer.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.client.testing.Harness.Recorder;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectRequest.FrameCase;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Draining;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Moving off a draining server (SPEC.md §13.2), against the scripted server. */
class DrainMoveTest {
  private static final Struct MINE = CredentialRefreshTest.MINE;
  private static final Struct ALICE = CredentialRefreshTest.ALICE;
  private static final Struct ALICE_LATER = State.fromJson("{\"a\":2}").toStruct();

  private static ConnectResponse draining(long deadlineMillis) {
    return ConnectResponse.newBuilder().setDraining(Draining.newBuilder().setDeadlineMillis(deadlineMillis)).build();
  }

  private static Conn openWithEverything(Harness h, Recorder rec) {
    return CredentialRefreshTest.openWithEverything(h, FakePresenceServer.defaultLimits().build(), rec);
  }

  /** Opens the move's new session, expects the restore of PRS-RCN-8 and answers it with {@code alice}'s state. */
  private static long openAndRestore(Conn next, Struct alice) {
    return openAndRestore(next, alice, null);
  }

  /**
   * As {@link #openAndRestore(Conn, Struct)}, with {@code rightAfterOpened} (when not null) sent as the frame after
   * {@code opened}, as a server that is draining already sends {@code draining}.
   */
  private static long openAndRestore(Conn next, Struct alice, ConnectResponse rightAfterOpened) {
    next.open("me", "me", "alice");
    if (rightAfterOpened != null) {
      next.send(rightAfterOpened);
    }
    assertThat(State.of(next.expect(FrameCase.UPDATE_STATE).getUpdateState().getState())).isEqualTo(State.of(MINE));
    ConnectRequest follow = next.expect(FrameCase.FOLLOW);
    assertThat(follow.getFollow().getUserId()).isEqualTo("alice");
    ConnectRequest sub = next.expect(FrameCase.SUBSCRIBE);
    String id = sub.getSubscribe().getSubscriptionId();
    next.send(ack(follow.getRequestId()));
    next.send(batch(state("alice", alice, id), state("me", MINE, id)));
    next.send(snapshotComplete(id, sub.getRequestId()));
    return next.expect(FrameCase.PING).getPing().getNonce();
  }

  private static List<FrameCase> kinds(List<ConnectRequest> frames) {
    return frames.stream().map(ConnectRequest::getFrameCase).toList();
  }

  @Covers("PRS-DRN-6")
  @Covers("PRS-DRN-7")
  @Test
  void onDrainingANewSessionTakesOverAndTheOldOneIsLeftOnlyAfterTheNewOneAnswered() {
    try (Harness h = new Harness()) {
      Recorder rec = new Recorder();
      Conn old = openWithEverything(h, rec);
      old.send(draining(5_000));

      Conn next = h.server.awaitConnection();
      long barrier = openAndRestore(next, ALICE);
      // Until the answer, the old session stays: the server may not yet hold the restored state.
      old.barrier();
      assertThat(old.clientEnded()).isFalse();
      next.send(pong(barrier));
      assertThat(kinds(old.awaitClientEnd())).containsExactly(FrameCase.LEAVE);

      h.settle(next);
      assertThat(rec.seen()).as("nothing changed, so the application hears nothing").isEmpty();
      assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
      assertThat(h.client.users().all()).containsOnlyKeys("me", "alice");
      assertThat(h.client.users().following()).containsExactly("alice");
    }
  }

  @Covers("PRS-DRN-7")
  @Test
  void whatChangedDuringTheMoveIsReportedOnceAndNoNullOrDepartureIs() {
    try (Harness h = new Harness()) {
      Recorder rec = new Recorder();
      Conn old = openWithEverything(h, rec);
      old.send(draining(5_000));
      Conn next = h.server.awaitConnection();
      long barrier = openAndRestore(next, ALICE_LATER);
      next.send(pong(barrier));
      old.awaitClientEnd();
      h.settle(next);
      assertThat(rec.seen()).containsExactly("alice=" + State.of(ALICE_LATER).toJson());
      assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    }
  }

  @Covers("PRS-DRN-9")
  @Test
  void aSessionOpenedByADrainingServerIsNotMovedAgain() {
    try (Harness h = new Harness()) {
      Recorder rec = new Recorder();
      Conn old = openWithEverything(h, rec);
      old.send(draining(60_000));
      // A second announcement while the move runs starts nothing either.
      old.send(draining(60_000));
      Conn next = h.server.awaitConnection();
      long barrier = openAndRestore(next, ALICE, draining(59_000));
      next.send(pong(barrier));
      old.awaitClientEnd();
      h.settle(next);
      assertThat(h.server.waitingConnections()).as("no third session").isZero();
      assertThat(next.clientEnded()).isFalse();

      // The server ends the session at its deadline: an ordinary reconnect follows.
      next.fail(fatal(Status.Code.UNAVAILABLE, "SHUTTING_DOWN"));
      Conn third = h.server.awaitConnection();
      third.open("me", "me", "alice");
      Harness.await("connected again", () -> h.connectionStates.size() == 4);
    }
  }

  @Covers("PRS-DRN-9")
  @Test
  void aLaterDrainingMovesAgainHoweverSoonAfterTheLastMove() {
    try (Harness h = new Harness()) {
      Recorder rec = new Recorder();
      Conn old = openWithEverything(h, rec);
      old.send(draining(60_000));
      Conn next = h.server.awaitConnection();
      long barrier = openAndRestore(next, ALICE);
      next.send(pong(barrier));
      old.awaitClientEnd();
      h.settle(next);
      // The next node of a rolling restart starts draining while the first one's window still runs.
      next.send(draining(60_000));
      Conn third = h.server.awaitConnection();
      long again = openAndRestore(third, ALICE);
      third.send(pong(again));
      next.awaitClientEnd();
      h.settle(third);
      assertThat(rec.seen()).isEmpty();
      assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    }
  }

  @Covers("PRS-DRN-8")
  @Test
  void aMoveWhoseNewSessionFailsKeepsTheOldSessionAndTellsTheApplicationNothing() {
    try (Harness h = new Harness()) {
      Recorder rec = new Recorder();
      Conn old = openWithEverything(h, rec);
      old.send(draining(5_000));
      Conn next = h.server.awaitConnection();
      next.expect(FrameCase.OPEN);
      next.fail(fatal(Status.Code.RESOURCE_EXHAUSTED, "TOO_MANY_SESSIONS"));

      // The old session still carries the view: its events reach the application.
      old.barrier();
      assertThat(old.clientEnded()).isFalse();
      old.send(batch(state("alice", ALICE_LATER)));
      h.settle(old);
      assertThat(rec.seen()).containsExactly("alice=" + State.of(ALICE_LATER).toJson());
      assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    }
  }

  @Covers("PRS-DRN-6")
  @Test
  void itDeclaresCapabilityDrain() {
    try (Harness h = new Harness()) {
      h.client.connect();
      ConnectRequest open = h.server.awaitConnection().expect(FrameCase.OPEN);
      assertThat(open.getOpen().getCapabilitiesList()).contains(dev.presence.protocol.v1.Capability.CAPABILITY_DRAIN);
    }
  }
}
