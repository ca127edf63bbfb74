import type { Clock } from "../clock.js";
import { checkedState, type PresenceState } from "../state.js";
import { clearStateFrame, updateStateFrame } from "./frames.js";
import { DEFAULT_WINDOW_MILLIS, UNADVERTISED, type ServerLimits } from "./limits.js";
import type { Session } from "./session.js";
import { UpdateThrottle } from "./throttle.js";

/**
 * This client's own state (SPEC §7.1): readable at once (PRS-THC-5), checked before it is sent (PRS-THC-6), sent
 * through the {@link UpdateThrottle}, sent again as soon as a new session opens, and cleared at once, discarding a
 * pending update (PRS-THC-4).
 */
export class OwnState {
  private readonly throttle: UpdateThrottle<PresenceState>;
  private current: PresenceState | null = null;
  private limits: ServerLimits = UNADVERTISED;

  constructor(clock: Clock, private readonly openSession: () => Session | undefined) {
    this.throttle = new UpdateThrottle(DEFAULT_WINDOW_MILLIS, clock, (state) => {
      // Without a session the latest state goes out when the next one opens.
      this.openSession()?.send(updateStateFrame(state));
    });
  }

  /**
   * Sets the state and hands it to the throttle.
   *
   * @throws PresenceError if the server would refuse it (PRS-THC-6); nothing is set or sent then
   */
  set(state: PresenceState): void {
    const copy = checkedState(state, this.limits);
    this.current = copy;
    this.throttle.submit(copy);
  }

  clear(): void {
    this.current = null;
    this.throttle.cancelPending();
    this.openSession()?.send(clearStateFrame());
  }

  /** The state as last set, or null. */
  get(): PresenceState | null {
    return this.current;
  }

  /** A session opened: adopt its limits and send the latest state on it at once (PRS-RCN-2, PRS-RCN-8). */
  onOpened(session: Session, limits: ServerLimits): void {
    this.limits = limits;
    this.throttle.setWindowMillis(limits.throttleWindowMillis);
    if (this.current !== null) {
      this.throttle.markSent();
      session.send(updateStateFrame(this.current));
    } else {
      this.throttle.reset();
    }
  }

  /** The session ended or the client stopped: drop the pending send; a new session gets the latest state anyway. */
  reset(): void {
    this.throttle.reset();
  }
}
