package dev.presence.conformance.client.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnknownFieldSet;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Opened;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

// The resources close by waiting for a server to stop; an interrupt then fails the test, as it should.
@SuppressWarnings("try")
class FaultTest {

  @Test
  void restartEndsEveryCallAndTheSameTargetAcceptsAgain() throws Exception {
    try (Loopback net = new Loopback()) {
      String target = net.server.target();
      Loopback.Opened a = net.open("a");
      net.server.restart();
      assertThat(a.call().awaitEnd(Loopback.WAIT)).contains(EndCause.TRANSPORT);
      assertThat(a.call().endedNanos()).isPresent();
      assertThat(net.ended("a").code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(net.server.room().members()).isEmpty();

      assertThat(net.server.target()).isEqualTo(target);
      Loopback.Opened b = net.open("b");
      assertThat(b.call().index()).isEqualTo(1);
    }
  }

  @Test
  void resetEndsTheCallWithItsTransport() throws Exception {
    try (Loopback net = new Loopback()) {
      Loopback.Opened a = net.open("a");
      net.server.reset();
      assertThat(a.call().awaitEnd(Loopback.WAIT)).contains(EndCause.TRANSPORT);
      assertThat(net.ended("a").code()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void blackholedCallsAreDetectedByKeepaliveAndHealingCarriesNewCalls() throws Exception {
    try (Loopback net = new Loopback()) {
      Loopback.Opened a = net.open("a");
      net.server.blackhole();
      assertThat(a.call().awaitEnd(Duration.ofSeconds(8))).contains(EndCause.TRANSPORT);
      assertThat(net.server.room().members()).isEmpty();
      net.server.heal();
      net.open("b");
    }
  }

  @Test
  void clientCancelAndHalfCloseAreToldApart() throws Exception {
    try (Loopback net = new Loopback()) {
      Loopback.Opened a = net.open("a");
      Loopback.Opened b = net.open("b");
      a.session().cancel();
      b.session().halfClose();
      assertThat(a.call().awaitEnd(Loopback.WAIT)).contains(EndCause.CLIENT_CANCEL);
      assertThat(b.call().awaitEnd(Loopback.WAIT)).contains(EndCause.CLIENT_HALF_CLOSE);
      assertThat(net.ended("b").code()).isEqualTo(Status.Code.OK);
    }
  }

  @Test
  void scriptedEndCarriesErrorInfoAndMetadata() throws Exception {
    try (Loopback net = new Loopback()) {
      Loopback.Opened a = net.open("a");
      a.call().end(Status.Code.UNAUTHENTICATED, ErrorReason.ERROR_REASON_CREDENTIALS_EXPIRED, "expired",
          Map.of("unknown_key", "v"));
      var end = net.ended("a");
      assertThat(end.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(end.errorInfoReason()).isEqualTo("CREDENTIALS_EXPIRED");
      assertThat(end.errorInfoMetadata()).containsEntry("unknown_key", "v");
      assertThat(a.call().endCause()).isEqualTo(EndCause.SERVER_END);
      assertThat(a.call().send(ConnectResponse.getDefaultInstance())).isFalse();

      Loopback.Opened b = net.open("b");
      b.call().endWithUnknownReason(Status.Code.UNAVAILABLE, "FUTURE_REASON");
      assertThat(net.ended("b").errorInfoReason()).isEqualTo("FUTURE_REASON");
    }
  }

  @Test
  void unknownFrameKindsAndFieldsReachTheClientAsSent() throws Exception {
    try (Loopback net = new Loopback()) {
      Loopback.Opened a = net.open("a");
      assertThat(a.call().sendUnknownFrameKind()).isTrue();
      ConnectResponse unknown = net.received("a", f -> f.getFrameCase() == ConnectResponse.FrameCase.FRAME_NOT_SET);
      assertThat(unknown.getUnknownFields().hasField(Frames.UNKNOWN_FRAME_FIELD)).isTrue();

      a.call().sendWithUnknownField(ConnectResponse.newBuilder()
          .setPong(dev.presence.protocol.v1.Pong.newBuilder().setNonce(77)).build());
      ConnectResponse pong = net.received("a", f -> f.hasPong() && f.getPong().getNonce() == 77);
      assertThat(pong.getUnknownFields().hasField(Frames.UNKNOWN_VARINT_FIELD)).isTrue();
      assertThat(pong.getUnknownFields().hasField(Frames.UNKNOWN_BYTES_FIELD)).isTrue();
      assertThat(a.call().outbound()).hasSize(3);
    }
  }

  @Test
  void unknownFieldsEverywhereReachNestedMessages() throws Exception {
    try (Loopback net = new Loopback(new Autopilot().unknownFieldsEverywhere(true))) {
      net.open("a");
      Opened opened = net.received("a", ConnectResponse::hasOpened).getOpened();
      UnknownFieldSet inLimits = opened.getLimits().getUnknownFields();
      assertThat(inLimits.hasField(Frames.UNKNOWN_VARINT_FIELD)).isTrue();
      assertThat(opened.getSelf().getUnknownFields().hasField(Frames.UNKNOWN_BYTES_FIELD)).isTrue();
      assertThat(opened.getLimits().getThrottleWindowMillis()).isEqualTo(50);
    }
  }

  @Test
  void serverPingsGoOnlyToSessionsThatDeclaredTheCapabilityAndPongsAreRecorded() throws Exception {
    try (Loopback net = new Loopback(new Autopilot().pingEvery(Duration.ofMillis(50)))) {
      Loopback.Opened pinged = net.open("pinged", Capability.CAPABILITY_PING);
      pinged.session().answerPings();
      Loopback.Opened quiet = net.open("quiet");
      // The first ping can come before answerPings() takes effect and stay unanswered, so count pongs, not nonces.
      long deadline = System.nanoTime() + Loopback.WAIT.toNanos();
      while (pinged.call().pongs().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(pinged.call().pongs()).hasSizeGreaterThanOrEqualTo(2);
      net.barrier(quiet, 5);
      assertThat(net.frames("quiet")).noneMatch(ConnectResponse::hasPing);
      assertThat(quiet.call().inbound(ConnectRequest.FrameCase.PING)).hasSize(1);
    }
  }

  @Test
  void refusedConnectionsFailFastAndRecoverWhenAccepted() throws Exception {
    try (Loopback net = new Loopback()) {
      net.server.refuseConnections(true);
      net.call("refused", "t").send(OpenTest.openFrame(1));
      assertThat(net.ended("refused").code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(net.server.calls()).isEmpty();
      net.server.refuseConnections(false);
      net.open("ok");
    }
  }
}
