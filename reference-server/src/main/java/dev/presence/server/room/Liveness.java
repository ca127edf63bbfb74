package dev.presence.server.room;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Ping;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Fatal;
import dev.presence.server.session.Session;
import dev.presence.server.session.SessionEnd;

/**
 * The server's own liveness checks of a session: the idle timeout (PRS-LIV-2) and pings to clients that
 * declared CAPABILITY_PING (PRS-LIV-4). Both end the session with TIMED_OUT. Timer callbacks hop onto
 * the room's executor, so checks see the room's state consistently.
 */
final class Liveness {
  private final Room room;
  private final RoomContext context;
  private final ServerConfig config;

  Liveness(Room room, RoomContext context) {
    this.room = room;
    this.context = context;
    this.config = context.config();
  }

  void start(Session session) {
    if (config.idleTimeoutMillis() > 0) {
      scheduleIdleCheck(session, config.idleTimeoutMillis());
    }
    if (session.pingCapable()) {
      schedulePing(session, config.pingIntervalMillis());
    }
    if (session.credentialsExpireAtEpochMillis() != Long.MAX_VALUE) {
      // Expiry is an absolute instant from the token, so it is measured on the wall clock.
      long delay = Math.max(0, session.credentialsExpireAtEpochMillis() - System.currentTimeMillis());
      session.setExpiryTimer(context.timer().schedule(
          () -> room.executor().execute(() -> expire(session)), delay));
    }
  }

  /** PRS-IDN-6: the session ends UNAUTHENTICATED / CREDENTIALS_EXPIRED and its user's null says REVOKED. */
  private void expire(Session session) {
    if (!session.isEnded()) {
      room.end(session, SessionEnd.REVOKED,
          Fatal.of(ErrorReason.ERROR_REASON_CREDENTIALS_EXPIRED, "credentials expired"));
    }
  }

  private void scheduleIdleCheck(Session session, long delayMillis) {
    session.setIdleTimer(context.timer().schedule(
        () -> room.executor().execute(() -> checkIdle(session)), delayMillis));
  }

  private void checkIdle(Session session) {
    if (session.isEnded()) {
      return;
    }
    long idleFor = room.now() - session.lastInboundAt();
    if (idleFor >= config.idleTimeoutMillis()) {
      room.end(session, SessionEnd.IDLE_TIMEOUT,
          Fatal.of(ErrorReason.ERROR_REASON_IDLE_TIMEOUT, "no frame for " + config.idleTimeoutMillis() + " ms"));
    } else {
      scheduleIdleCheck(session, config.idleTimeoutMillis() - idleFor);
    }
  }

  /** A ping interval plus a pong deadline bounds detection by leave_detection_millis (PRS-LIV-1). */
  private long pongDeadlineMillis() {
    return config.leaveDetectionMillis() - config.pingIntervalMillis();
  }

  private void schedulePing(Session session, long delayMillis) {
    session.setPingTimer(context.timer().schedule(
        () -> room.executor().execute(() -> pingTick(session)), delayMillis));
  }

  /**
   * PRS-LIV-6: at most one ping per interval, and PING_TIMEOUT only once the unanswered ping has waited
   * leave_detection_millis − ping_interval_millis.
   */
  private void pingTick(Session session) {
    if (session.isEnded()) {
      return;
    }
    long now = room.now();
    long sincePing = now - session.pingSentAt();
    if (session.pingOutstanding()) {
      if (sincePing >= pongDeadlineMillis()) {
        room.end(session, SessionEnd.PING_TIMEOUT,
            Fatal.of(ErrorReason.ERROR_REASON_PING_TIMEOUT, "no pong within " + pongDeadlineMillis() + " ms"));
        return;
      }
      schedulePing(session, pongDeadlineMillis() - sincePing);
      return;
    }
    if (sincePing < config.pingIntervalMillis()) {
      schedulePing(session, config.pingIntervalMillis() - sincePing);
      return;
    }
    long nonce = session.startPing(now);
    session.send(ConnectResponse.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build());
    schedulePing(session, Math.min(config.pingIntervalMillis(), pongDeadlineMillis()));
  }
}
