package dev.presence.server.transport;

import dev.presence.protocol.Identifiers;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.User;
import dev.presence.server.auth.AuthenticationException;
import dev.presence.server.auth.Credentials;
import dev.presence.server.auth.Identity;
import dev.presence.server.internal.Fatal;
import dev.presence.server.internal.Timer;
import dev.presence.server.internal.UndecodableFrame;
import dev.presence.server.room.Room;
import dev.presence.server.session.CallHandle;
import dev.presence.server.session.Session;
import dev.presence.server.session.SessionEnd;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Connect} call, whichever binding carries it. Until {@code open} is accepted the call is handled
 * here, on the transport's callback thread: the open timeout, the checks of PRS-OPN-9 and the refusal during
 * shutdown. Afterwards every event is handed to the room's serial executor, which is then the only user of
 * the call's {@link CallHandle}. The phase is atomic because the open timeout races with the first frame.
 *
 * <p>A binding calls {@link #start()} once, then reports its call's events one at a time, in order.
 */
final class SessionCall {
  private static final Logger log = LoggerFactory.getLogger(SessionCall.class);
  private static final String TEXT_MESSAGE_REFUSED = "frames travel in binary messages; a text message is no frame";

  private enum Phase { AWAITING_OPEN, DISPATCHED, ENDED }

  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.AWAITING_OPEN);
  private final CallHandle call;
  private final Credentials credentials;
  private final SessionServices services;
  private Timer.Cancellable openTimer;
  private Room room;
  private Session session;

  /**
   * @param call the binding's side of the call
   * @param credentials what the call presented; judged only when {@code open} arrives (PRS-OPN-9)
   * @param services shared by every call
   */
  SessionCall(CallHandle call, Credentials credentials, SessionServices services) {
    this.call = call;
    this.credentials = credentials;
    this.services = services;
  }

  /** Starts the open timeout and asks for the first frame. */
  void start() {
    // The timer exists before the call is visible to shutdown, which cancels it.
    openTimer = services.timer.schedule(this::onOpenTimeout, services.config.openTimeoutMillis());
    services.awaitingOpen.add(this);
    if (phase.get() != Phase.AWAITING_OPEN) {
      services.awaitingOpen.remove(this);
    }
    call.requestNext();
    if (services.registry.shuttingDown()) {
      rejectForShutdown();
    }
  }

  private void onOpenTimeout() {
    if (leaveAwaitingOpen(Phase.ENDED)) {
      reject(ErrorReason.ERROR_REASON_OPEN_TIMEOUT,
          "no open frame within " + services.config.openTimeoutMillis() + " ms", Map.of());
    }
  }

  /** Ends a call that has not opened yet because the server is shutting down (PRS-END-5). */
  void rejectForShutdown() {
    if (leaveAwaitingOpen(Phase.ENDED)) {
      openTimer.cancel();
      reject(ErrorReason.ERROR_REASON_SHUTTING_DOWN, "server is shutting down", Map.of());
    }
  }

  private boolean leaveAwaitingOpen(Phase next) {
    if (phase.compareAndSet(Phase.AWAITING_OPEN, next)) {
      services.awaitingOpen.remove(this);
      return true;
    }
    return false;
  }

  /** @param frame the next inbound frame, or a stand-in from the {@link RequestDecoder} */
  void onFrame(ConnectRequest frame) {
    switch (phase.get()) {
      case AWAITING_OPEN:
        if (!leaveAwaitingOpen(Phase.DISPATCHED)) {
          return;
        }
        openTimer.cancel();
        open(frame);
        return;
      case DISPATCHED:
        Room r = room;
        Session s = session;
        Fatal fatal = fatalAfterOpen(frame);
        if (fatal != null) {
          r.executor().execute(() -> r.end(s, SessionEnd.FATAL_ERROR, fatal));
        } else {
          long arrivedAt = services.clock.nowMillis();
          r.executor().executeNowIfIdle(() -> r.onFrame(s, frame, arrivedAt));
        }
        return;
      default:
    }
  }

  /** @return how a stand-in that ends even an open session ends it, or null for a frame the room handles */
  private Fatal fatalAfterOpen(ConnectRequest frame) {
    if (frame == UndecodableFrame.OVERSIZED) {
      return Fatal.of(ErrorReason.ERROR_REASON_FRAME_TOO_LARGE, frameTooLargeMessage());
    }
    if (frame == UndecodableFrame.TEXT_MESSAGE) {
      return Fatal.of(ErrorReason.ERROR_REASON_MALFORMED_FRAME, TEXT_MESSAGE_REFUSED);
    }
    return null;
  }

  private String frameTooLargeMessage() {
    return "frame exceeds " + services.config.maxInboundFrameBytes() + " bytes";
  }

  /** Checks the first frame in the order of PRS-OPN-9; the first check that fails ends the call. */
  private void open(ConnectRequest frame) {
    if (services.registry.shuttingDown()) {
      fail(ErrorReason.ERROR_REASON_SHUTTING_DOWN, "server is shutting down", Map.of());
      return;
    }
    if (frame == UndecodableFrame.OVERSIZED) {
      fail(ErrorReason.ERROR_REASON_FRAME_TOO_LARGE, frameTooLargeMessage(), Map.of());
      return;
    }
    if (frame == UndecodableFrame.MALFORMED) {
      fail(ErrorReason.ERROR_REASON_MALFORMED_FRAME, "the first frame is not a ConnectRequest", Map.of());
      return;
    }
    if (frame == UndecodableFrame.TEXT_MESSAGE) {
      fail(ErrorReason.ERROR_REASON_MALFORMED_FRAME, TEXT_MESSAGE_REFUSED, Map.of());
      return;
    }
    if (!frame.hasOpen()) {
      fail(ErrorReason.ERROR_REASON_OPEN_REQUIRED, "the first frame must be open", Map.of());
      return;
    }
    Open open = frame.getOpen();
    // 0, the proto3 default, is no version at all (PRS-OPN-10).
    if (open.getProtocolVersion() != 1) {
      fail(ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION, "this server speaks protocol version 1",
          Map.of("supported_versions", "1"));
      return;
    }
    if (!Identifiers.isValidRoomId(open.getRoomId())) {
      fail(ErrorReason.ERROR_REASON_INVALID_ROOM_ID, "room_id must match [A-Za-z0-9._:~-]{1,128}", Map.of());
      return;
    }
    Identity identity;
    try {
      identity = services.authenticator.authenticate(credentials, open);
    } catch (AuthenticationException e) {
      fail(ErrorReason.ERROR_REASON_UNAUTHENTICATED, e.getMessage(), Map.of());
      return;
    }
    if (!identity.mayJoin(open.getRoomId())) {
      fail(ErrorReason.ERROR_REASON_ROOM_FORBIDDEN, "credentials do not allow this room", Map.of());
      return;
    }
    Room acquired = services.registry.acquire(open.getRoomId());
    if (acquired == null) {
      fail(ErrorReason.ERROR_REASON_TOO_MANY_SESSIONS, "server session limit reached", Map.of());
      return;
    }
    boolean pingCapable = services.config.pingIntervalMillis() > 0
        && open.getCapabilitiesList().contains(Capability.CAPABILITY_PING);
    User user = User.newBuilder().setUserId(identity.userId()).setDisplayName(identity.displayName()).build();
    room = acquired;
    long expiresAt = identity.expiresAt().map(java.time.Instant::toEpochMilli).orElse(Long.MAX_VALUE);
    session = new Session(UUID.randomUUID().toString(), user, call, pingCapable, expiresAt, services.metrics);
    if (open.getCapabilitiesList().contains(Capability.CAPABILITY_DRAIN)) {
      session.grantDrain();
    }
    Session s = session;
    // Frames pipelined behind the open are not read before the room admits the session, which then
    // asks for them: they are processed after opened, in order, and never if the open fails (PRS-OPN-11).
    acquired.executor().execute(() -> acquired.open(s));
  }

  private void fail(ErrorReason reason, String message, Map<String, String> metadata) {
    phase.set(Phase.ENDED);
    reject(reason, message, metadata);
  }

  private void reject(ErrorReason reason, String message, Map<String, String> metadata) {
    reject(Fatal.of(reason, message, metadata));
  }

  private void reject(Fatal fatal) {
    services.metrics.fatalError(fatal.reason());
    log.info("event=open_rejected reason={}", fatal.status().reason());
    call.close(fatal.status());
  }

  /** The client finished sending: a gRPC half-close, a WebSocket Close with code 1000. */
  void onHalfClose() {
    if (leaveAwaitingOpen(Phase.ENDED)) {
      openTimer.cancel();
      reject(ErrorReason.ERROR_REASON_OPEN_REQUIRED, "the call ended before an open frame", Map.of());
      return;
    }
    dispatchEnd(SessionEnd.HALF_CLOSE);
  }

  /**
   * The call ended without the client finishing it: cancelled, reset, closed, or found unreachable.
   *
   * @param how CANCEL, or TRANSPORT_LOSS when the server's liveness probe gave up on the peer
   */
  void onCancel(SessionEnd how) {
    if (leaveAwaitingOpen(Phase.ENDED)) {
      openTimer.cancel();
      return;
    }
    dispatchEnd(how);
  }

  private void dispatchEnd(SessionEnd how) {
    Room r = room;
    Session s = session;
    if (r != null) {
      r.executor().execute(() -> r.end(s, how, null));
    }
  }

  /** The call accepts writes again. */
  void onReady() {
    Room r = room;
    Session s = session;
    if (r != null) {
      r.executor().execute(() -> r.onReady(s));
    }
  }
}
