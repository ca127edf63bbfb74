package dev.presence.client.internal;

import com.google.protobuf.Struct;
import dev.presence.client.PresenceException;
import dev.presence.client.State;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This client's own state (SPEC §7.1): readable by the application at once (PRS-THC-5), sent through the
 * {@link UpdateThrottle}, sent again as soon as a new session opens, and cleared at once, discarding a pending
 * update (PRS-THC-4).
 *
 * <p>Confined to the client lock; the throttle's timer task runs under it too, which keeps a clear and a
 * trailing send from crossing on the wire.
 */
final class OwnState {
  /** The window of PRS-THC-1 until the server advertises one. */
  static final long DEFAULT_WINDOW_MILLIS = 50;

  private final Supplier<SessionCall> openSession;
  private final UpdateThrottle<Struct> throttle;
  private Struct current;
  private ServerLimits limits = ServerLimits.UNADVERTISED;

  /**
   * Creates the own state.
   *
   * @param clock the clock of the throttle
   * @param scheduler runs the throttle's trailing send under the client lock
   * @param openSession the open session, or null while there is none
   */
  OwnState(LongSupplier clock, UpdateThrottle.Scheduler scheduler, Supplier<SessionCall> openSession) {
    this.openSession = openSession;
    this.throttle = new UpdateThrottle<>(DEFAULT_WINDOW_MILLIS, clock, scheduler, this::send);
  }

  private void send(Struct state) {
    SessionCall session = openSession.get();
    if (session != null) {
      session.send(Frames.updateState(state));
    }
    // Without a session the latest state goes out when the next one opens.
  }

  /**
   * Sets the state and hands it to the throttle.
   *
   * @throws PresenceException if the server would refuse it (PRS-THC-6); nothing is set or sent then
   */
  void set(Struct state) {
    PresenceException violation = StateCheck.violation(state, limits);
    if (violation != null) {
      throw violation;
    }
    current = state;
    throttle.submit(state);
  }

  void clear() {
    current = null;
    throttle.cancelPending();
    SessionCall session = openSession.get();
    if (session != null) {
      session.send(Frames.clearState());
    }
  }

  /** The state as last set, or null; a copy the caller may keep. */
  State get() {
    return current == null ? null : State.of(current);
  }

  /** A session opened: adopt its limits and send the latest state on it at once (PRS-RCN-2, PRS-RCN-8). */
  void onOpened(SessionCall session, ServerLimits limits) {
    this.limits = limits;
    throttle.setWindowMillis(limits.throttleWindowMillis());
    if (current != null) {
      // Stamp the send before the frame goes out, as the throttle does for its own sends: stamped after, the
      // window would start whenever this thread got round to it, and the trailing send would come that late.
      throttle.markSent();
      session.send(Frames.updateState(current));
    } else {
      throttle.reset();
    }
  }

  /** The session ended or the client stopped: drop the pending send; a new session gets the latest state anyway. */
  void reset() {
    throttle.reset();
  }
}
