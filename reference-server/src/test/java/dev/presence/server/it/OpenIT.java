package dev.presence.server.it;

import static dev.presence.server.support.Frames.open;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.User;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Opening a session over real Netty: success, every fatal open error, and ALREADY_OPEN. */
class OpenIT {
  private ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b.maxSessionsPerUser(2).openTimeoutMillis(300));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private static ConnectRequest openWith(Open.Builder open) {
    return ConnectRequest.newBuilder().setOpen(open).build();
  }

  private ErrorInfo fatal(ConnectRequest first, Status.Code code) {
    TestSession s = TestSession.connect(fx.channel());
    s.send(first);
    ErrorInfo info = s.awaitErrorInfo();
    assertThat(s.awaitClose().getCode()).isEqualTo(code);
    assertThat(info.getDomain()).isEqualTo("presence.v1");
    assertThat(s.history()).as("no frame before a fatal open error (PRS-OPN-5)").isEmpty();
    return info;
  }

  @Test
  @DisplayName("PRS-OPN-4: opened carries session id, self, version, every limit, members and accepted capabilities")
  void openedContents() {
    TestSession alice = fx.open("room-1", "alice");
    TestSession s = TestSession.connect(fx.channel());
    s.send(open("room-1", "bob", Capability.CAPABILITY_PING));
    Opened opened = s.next().getOpened();
    assertThat(opened.getSessionId()).isNotEmpty().isNotEqualTo(alice.opened().getSessionId());
    assertThat(opened.getSelf()).isEqualTo(User.newBuilder().setUserId("bob").setDisplayName("BOB").build());
    assertThat(opened.getProtocolVersion()).isEqualTo(1);
    assertThat(opened.getLimits().getThrottleWindowMillis()).isEqualTo(50);
    assertThat(opened.getLimits().getMaxStateBytes()).isEqualTo(8192);
    assertThat(opened.getLimits().getMaxSubscriptions()).isEqualTo(16);
    assertThat(opened.getLimits().getMaxFollows()).isEqualTo(256);
    assertThat(opened.getLimits().getLeaveDetectionMillis()).isEqualTo(10000);
    assertThat(opened.getLimits().getMaxInboundFrameBytes()).isEqualTo(65536);
    assertThat(opened.getLimits().getMaxSessionsPerUser()).isEqualTo(2);
    assertThat(opened.getLimits().getMaxSessionsPerRoom()).isEqualTo(1000);
    assertThat(opened.getLimits().getMaxStateDepth()).as("PRS-LIM-4").isEqualTo(32);
    assertThat(opened.getLimits().getMaxOutboundFrameBytes()).as("PRS-LIM-4").isEqualTo(262_144);
    assertThat(opened.getMembersList()).extracting(User::getUserId).containsExactly("alice", "bob");
    assertThat(opened.getCapabilitiesList()).containsExactly(Capability.CAPABILITY_PING);
  }

  @Test
  @DisplayName("PRS-OPN-1: a first frame other than open ends the call INVALID_ARGUMENT / OPEN_REQUIRED")
  void openRequired() {
    assertThat(fatal(update(1), Status.Code.INVALID_ARGUMENT).getReason()).isEqualTo("OPEN_REQUIRED");
  }

  @Test
  @DisplayName("PRS-OPN-2: an invalid room id ends the call INVALID_ARGUMENT / INVALID_ROOM_ID")
  void invalidRoomId() {
    assertThat(fatal(open("bad room!", "alice"), Status.Code.INVALID_ARGUMENT).getReason())
        .isEqualTo("INVALID_ROOM_ID");
    assertThat(fatal(open("r".repeat(129), "alice"), Status.Code.INVALID_ARGUMENT).getReason())
        .isEqualTo("INVALID_ROOM_ID");
  }

  @Test
  @DisplayName("PRS-OPN-3: an unsupported version ends the call FAILED_PRECONDITION with supported_versions=1")
  void unsupportedVersion() {
    ErrorInfo info = fatal(openWith(open("r", "alice").getOpen().toBuilder().setProtocolVersion(2)),
        Status.Code.FAILED_PRECONDITION);
    assertThat(info.getReason()).isEqualTo("UNSUPPORTED_VERSION");
    assertThat(info.getMetadataMap()).containsEntry("supported_versions", "1");
  }

  @Test
  @DisplayName("PRS-OPN-10: protocol_version 0 ends the call FAILED_PRECONDITION / UNSUPPORTED_VERSION with supported_versions=1")
  void versionZero() {
    ErrorInfo info = fatal(openWith(open("r", "alice").getOpen().toBuilder().clearProtocolVersion()),
        Status.Code.FAILED_PRECONDITION);
    assertThat(info.getReason()).isEqualTo("UNSUPPORTED_VERSION");
    assertThat(info.getMetadataMap()).containsEntry("supported_versions", "1");
  }

  @Test
  @DisplayName("PRS-OPN-9: open checks apply in order: version before room id before credentials, size before kind")
  void openCheckOrder() {
    assertThat(fatal(openWith(open("bad room!", "bad\u0007user").getOpen().toBuilder().setProtocolVersion(0)),
        Status.Code.FAILED_PRECONDITION).getReason()).isEqualTo("UNSUPPORTED_VERSION");
    assertThat(fatal(open("bad room!", "bad\u0007user"), Status.Code.INVALID_ARGUMENT).getReason())
        .isEqualTo("INVALID_ROOM_ID");
    assertThat(fatal(update(1).toBuilder().setUpdateState(dev.presence.protocol.v1.UpdateState.newBuilder()
        .setState(dev.presence.server.support.Frames.state("x".repeat(70_000), 1))).build(),
        Status.Code.RESOURCE_EXHAUSTED).getReason()).isEqualTo("FRAME_TOO_LARGE");
  }

  @Test
  @DisplayName("PRS-OPN-11: frames pipelined behind open are processed after opened, in order")
  void pipelinedFrames() {
    TestSession watcher = fx.openWatchingAll("r", "watcher");
    TestSession s = TestSession.connect(fx.channel());
    s.send(open("r", "alice"))
        .send(update(7))
        .send(dev.presence.server.support.Frames.subscribe(5, "all", dev.presence.server.support.Frames.all()))
        .send(dev.presence.server.support.Frames.unsubscribe(6, "ghost"))
        .send(dev.presence.server.support.Frames.ping(8));
    assertThat(s.next().hasOpened()).as("opened is the first frame").isTrue();
    ConnectResponse complete = s.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    assertThat(complete.getSnapshotComplete().getRequestId()).isEqualTo(5);
    ConnectResponse error = s.next();
    assertThat(error.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_UNKNOWN_SUBSCRIPTION);
    assertThat(error.getError().getRequestId()).isEqualTo(6);
    assertThat(s.await("pong", ConnectResponse::hasPong).getPong().getNonce()).isEqualTo(8);
    watcher.awaitEvent("alice", Events.x(7));
  }

  @Test
  @DisplayName("PRS-OPN-11: frames pipelined behind an open that fails are discarded")
  void pipelinedFramesOfAFailedOpen() {
    TestSession watcher = fx.openWatchingAll("r", "watcher");
    TestSession s = TestSession.connect(fx.channel());
    s.send(open("bad room!", "alice")).send(update(7)).send(dev.presence.server.support.Frames.ping(8));
    assertThat(s.awaitErrorInfo().getReason()).isEqualTo("INVALID_ROOM_ID");
    assertThat(s.history()).isEmpty();
    watcher.sync();
    assertThat(watcher.history()).noneMatch(r -> r.frame().hasPresence()
        && r.frame().getPresence().getEventsList().stream().anyMatch(e -> e.getUserId().equals("alice")));
  }

  @Test
  @DisplayName("PRS-IDN-9: a dev display name loses its control characters and is cut to 256 UTF-8 bytes at a character boundary")
  void displayNameSanitized() {
    TestSession s = TestSession.connect(fx.channel());
    s.send(openWith(open("r", "alice").getOpen().toBuilder().setDevDisplayName("A\u0000l\u009Fi\nce" + "\u00E9".repeat(200))));
    String name = s.next().getOpened().getSelf().getDisplayName();
    assertThat(name).isEqualTo("Alice" + "\u00E9".repeat(125));
    assertThat(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(255);
  }

  @Test
  @DisplayName("PRS-IDN-3/PRS-IDN-5: auth none with a missing or invalid dev_user_id ends the call UNAUTHENTICATED")
  void unauthenticated() {
    assertThat(fatal(openWith(Open.newBuilder().setRoomId("r").setProtocolVersion(1)), Status.Code.UNAUTHENTICATED)
        .getReason()).isEqualTo("UNAUTHENTICATED");
    assertThat(fatal(open("r", "bad\u0007user"), Status.Code.UNAUTHENTICATED).getReason())
        .isEqualTo("UNAUTHENTICATED");
    assertThat(fatal(open("r", "   "), Status.Code.UNAUTHENTICATED).getReason()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  @DisplayName("PRS-LIM-3: a session over the per-user limit ends RESOURCE_EXHAUSTED / TOO_MANY_SESSIONS, others unaffected")
  void tooManySessions() {
    TestSession tab1 = fx.open("r", "alice");
    fx.open("r", "alice");
    assertThat(fatal(open("r", "alice"), Status.Code.RESOURCE_EXHAUSTED).getReason()).isEqualTo("TOO_MANY_SESSIONS");
    tab1.send(dev.presence.server.support.Frames.ping(5));
    assertThat(tab1.await("pong", ConnectResponse::hasPong).getPong().getNonce()).isEqualTo(5);
  }

  @Test
  @DisplayName("PRS-OPN-7: a call that sends nothing ends DEADLINE_EXCEEDED / OPEN_TIMEOUT")
  void openTimeout() {
    TestSession s = TestSession.connect(fx.channel());
    ErrorInfo info = s.awaitErrorInfo();
    assertThat(s.awaitClose().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(info.getReason()).isEqualTo("OPEN_TIMEOUT");
  }

  @Test
  @DisplayName("PRS-TRN-6: a frame above max_inbound_frame_bytes ends RESOURCE_EXHAUSTED / FRAME_TOO_LARGE")
  void frameTooLarge() {
    TestSession s = fx.open("r", "alice");
    s.send(ConnectRequest.newBuilder()
        .setOpen(Open.newBuilder().setClientAgent("x".repeat(70_000)))
        .build());
    ErrorInfo info = s.awaitErrorInfo();
    assertThat(s.awaitClose().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(info.getReason()).isEqualTo("FRAME_TOO_LARGE");
  }

  @Test
  @DisplayName("PRS-OPN-6: a second open gets ProtocolError ALREADY_OPEN and the session continues")
  void alreadyOpen() {
    TestSession s = fx.open("r", "alice");
    s.send(open("other", "mallory").toBuilder().setRequestId(9).build());
    ConnectResponse error = s.next();
    assertThat(error.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_ALREADY_OPEN);
    assertThat(error.getError().getRequestId()).isEqualTo(9);
    s.send(dev.presence.server.support.Frames.ping(1));
    assertThat(s.next().getPong().getNonce()).isEqualTo(1);
    assertThat(s.drainFor(Duration.ofMillis(100))).isEmpty();
  }

  @Test
  @DisplayName("PRS-ERR-4: a frame with no kind gets ProtocolError UNSUPPORTED_FRAME and the session continues")
  void unsupportedFrame() {
    TestSession s = fx.open("r", "alice");
    s.send(ConnectRequest.newBuilder().setRequestId(3).build());
    ConnectResponse error = s.next();
    assertThat(error.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_UNSUPPORTED_FRAME);
    assertThat(error.getError().getRequestId()).isEqualTo(3);
    s.send(dev.presence.server.support.Frames.ping(2));
    assertThat(s.next().getPong().getNonce()).isEqualTo(2);
  }
}
