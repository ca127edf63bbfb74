package dev.presence.client.internal;

import dev.presence.client.internal.RetryPolicy.Retry;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Opened;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a session before its credentials expire (PRS-RCN-6), make-before-break: a {@code replacement} session
 * opens with fresh credentials, takes over once opened, and the {@code retiring} one is left only when a pong on
 * its successor proves the server holds the restored state. Where a second session is not allowed, it leaves first
 * and then opens with the fresh credentials.
 *
 * <p>A session whose server is draining (SPEC.md §13.2) is moved the same way, with its own credentials, on a new
 * connection so that a load balancer can route it to another server; a move that fails keeps the old session
 * (PRS-DRN-8), and a {@code draining} that arrives right after {@code opened} is ignored
 * (PRS-DRN-9).
 *
 * <p>Every method runs under the client lock, as do the {@link Sessions} callbacks; the refresh task runs on the
 * client timer and takes the lock only after the token supplier returned.
 */
final class CredentialRefresh {
  private static final Logger log = LoggerFactory.getLogger(CredentialRefresh.class);

  /** The session lifecycle as the refresh sees it; every method runs under the client lock. */
  interface Sessions {
    /** Whether the client stopped, so that no session may be opened. */
    boolean isStopped();

    /** The session whose frames the application sees, or null between sessions. */
    SessionCall current();

    /** Starts a call that sends {@code open} with the given credentials. */
    SessionCall start(Credentials credentials);

    /** As {@link #start}, on a new connection; calls already running keep theirs. */
    SessionCall startOnNewConnection(Credentials credentials);

    /** Makes {@code next}, whose {@code opened} just arrived, the current session in place of the current one. */
    void handOver(SessionCall next, Opened opened, List<Runnable> after);
  }

  private final Object lock;
  private final ScheduledExecutorService timer;
  // Runs the application's token supplier, so it is only called without the lock.
  private final Supplier<Credentials> credentials;
  private final LongSupplier clock;
  private final Sessions sessions;

  // Guarded by lock.
  private SessionCall replacement;
  private SessionCall retiring;
  private long retireOnPong;
  private SessionCall leftForRefresh;
  private Credentials refreshedCredentials;
  // Whether the replacement is a move off a draining server rather than a credential refresh.
  private boolean moving;

  CredentialRefresh(Object lock, ScheduledExecutorService timer, Supplier<Credentials> credentials,
      LongSupplier clock, Sessions sessions) {
    this.lock = lock;
    this.timer = timer;
    this.credentials = credentials;
    this.clock = clock;
    this.sessions = sessions;
  }

  /** Schedules the refresh of a session that just became current, if its credentials expire. */
  void scheduleLocked(SessionCall s) {
    long delay = s.credentials().refreshDelayMillis(clock.getAsLong());
    if (delay < 0) {
      return;
    }
    try {
      s.addTimer(timer.schedule(() -> refresh(s), delay, TimeUnit.MILLISECONDS));
    } catch (RejectedExecutionException e) {
      log.debug("timer stopped; no credential refresh", e);
    }
  }

  // Runs on the timer thread so that the token supplier never runs under the lock.
  private void refresh(SessionCall s) {
    Credentials fresh;
    try {
      fresh = credentials.get();
    } catch (RuntimeException e) {
      log.warn("token supplier failed; the session continues until its credentials expire", e);
      return;
    }
    synchronized (lock) {
      if (sessions.isStopped() || sessions.current() != s || replacement != null) {
        return;
      }
      if (s.limits().maxSessionsPerUser() == 1) {
        leaveForRefreshLocked(s, fresh);
      } else {
        replacement = sessions.start(fresh);
      }
    }
  }

  private void leaveForRefreshLocked(SessionCall s, Credentials fresh) {
    log.info("refreshing credentials by leaving and reopening: a second session is not allowed");
    leftForRefresh = s;
    refreshedCredentials = fresh;
    s.leave();
  }

  /**
   * The server of the current session {@code s} is draining: opens its successor on a new connection, unless a
   * move or refresh is already under way or the server was draining already when it opened the session.
   */
  void onDrainingLocked(SessionCall s, long deadlineMillis) {
    if (sessions.isStopped() || sessions.current() != s || replacement != null || retiring != null) {
      return;
    }
    if (s.openedByMove() && !s.heardAfterOpened()) {
      // The new connection reached a server that was draining when it opened the session, most likely the same
      // one: moving once more would loop until the deadline. This session ends then, and the client reconnects
      // as after any SHUTTING_DOWN (PRS-DRN-9).
      log.info("server draining since this session opened; staying until it ends the session");
      return;
    }
    log.info("server draining; moving the session to a new connection within {} ms", deadlineMillis);
    moving = true;
    replacement = sessions.startOnNewConnection(s.credentials());
    replacement.markOpenedByMove();
  }

  /** Whether {@code s} is the session opening with fresh credentials. */
  boolean isReplacementLocked(SessionCall s) {
    return s == replacement;
  }

  /** A frame of a session that is not the current one. */
  void onOtherFrameLocked(SessionCall s, ConnectResponse frame, List<Runnable> after) {
    if (s == replacement) {
      onReplacementFrameLocked(s, frame, after);
    } else if (s == retiring && frame.hasPing()) {
      // PRS-LIV-5: still live until left. Its other frames are dropped: its successor carries the view.
      s.send(Frames.pong(frame.getPing().getNonce()));
    }
  }

  private void onReplacementFrameLocked(SessionCall s, ConnectResponse frame, List<Runnable> after) {
    switch (frame.getFrameCase()) {
      case OPENED -> switchToLocked(s, frame.getOpened(), after);
      case PING -> s.send(Frames.pong(frame.getPing().getNonce()));
      default -> {
        // Nothing else precedes opened.
      }
    }
  }

  /**
   * The replacement opened: the application's view moves to it like after a reconnect, compared by the snapshot
   * diff, so nothing is reported when nothing changed. The old session is left only when a pong on the new one
   * proves the server has processed the restored state: until then the user's state may live on the old one only,
   * and leaving it would show others a null.
   */
  private void switchToLocked(SessionCall next, Opened opened, List<Runnable> after) {
    SessionCall old = sessions.current();
    replacement = null;
    moving = false;
    sessions.handOver(next, opened, after);
    if (retiring != null) {
      retiring.leave();
    }
    retiring = old;
    retireOnPong = next.liveness().nextNonce();
    next.send(Frames.ping(retireOnPong));
  }

  /** A pong on the current session; the one that answers the switch's ping lets the old session go. */
  void onPongLocked(long nonce) {
    if (retiring != null && nonce == retireOnPong) {
      retiring.leave();
      retiring = null;
    }
  }

  /** A session that is not the current one ended. A retiring session's end changes nothing. */
  void onOtherEndedLocked(SessionCall s, Throwable error) {
    if (s != replacement) {
      return;
    }
    replacement = null;
    SessionCall current = sessions.current();
    if (moving) {
      // PRS-DRN-8: the old session still serves; leaving it first would show everyone a departure.
      moving = false;
      log.info("moving off a draining server failed ({}); staying until the server ends the session",
          CallErrors.describe(error));
      return;
    }
    if ("TOO_MANY_SESSIONS".equals(CallErrors.reasonOf(error)) && current != null && current.isOpened()) {
      leaveForRefreshLocked(current, s.credentials());
      return;
    }
    log.info("opening a session with fresh credentials failed ({}); the current one continues until its "
        + "credentials expire", CallErrors.describe(error));
  }

  /**
   * The current session ended: leaves the retiring one, and returns the session that takes over if a refresh
   * already has one, else null.
   *
   * @param retry how the end would be retried; a session that may not be retried is not taken over
   */
  SessionCall successorLocked(SessionCall ended, Retry retry) {
    if (retiring != null) {
      retiring.leave();
      retiring = null;
    }
    if (ended == leftForRefresh) {
      // PRS-RCN-6's fallback: the leave was the first half of leave-then-open.
      leftForRefresh = null;
      return sessions.start(refreshedCredentials);
    }
    if (replacement != null && retry != Retry.NEVER) {
      // A session with fresh credentials is already opening: it is the reconnect.
      SessionCall next = replacement;
      replacement = null;
      moving = false;
      return next;
    }
    return null;
  }

  /** The client stops: leaves the replacement and the retiring session. */
  void leaveAllLocked() {
    for (SessionCall s : new SessionCall[] {replacement, retiring}) {
      if (s != null) {
        s.stopTimers();
        s.leave();
      }
    }
    replacement = null;
    retiring = null;
    moving = false;
  }
}
