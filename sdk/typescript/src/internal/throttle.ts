import type { Cancel, Clock } from "../clock.js";

/**
 * The client's send throttle (SPEC §7.1): a leading edge after a quiet window (PRS-THC-2), a latest-wins
 * trailing edge (PRS-THC-3), never two sends less than one window apart (PRS-THC-1), and the last submitted
 * value always sent.
 */
export class UpdateThrottle<T> {
  private windowMillis: number;
  private sentAny = false;
  private lastSendAt = 0;
  private pendingValue: T | undefined;
  private cancelTimer: Cancel | undefined;

  constructor(windowMillis: number, private readonly clock: Clock, private readonly sink: (value: T) => void) {
    this.windowMillis = windowMillis;
  }

  /** Changes the window; applies from the next decision on. */
  setWindowMillis(windowMillis: number): void {
    this.windowMillis = Math.max(1, windowMillis);
  }

  /** Sends the value now if the window allows, else holds it as the pending value, replacing any older one. */
  submit(value: T): void {
    if (this.windowOpen()) {
      this.cancelPending();
      this.send(value);
      return;
    }
    this.pendingValue = value;
    if (this.cancelTimer === undefined) {
      this.arm();
    }
  }

  /** Discards the pending value. A clear does not count as a send: the last send's window still applies. */
  cancelPending(): void {
    this.pendingValue = undefined;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** Records a send the owner made itself (the latest state on a new session); the pending value is superseded. */
  markSent(): void {
    this.cancelPending();
    this.sentAny = true;
    this.lastSendAt = this.clock.now();
  }

  /** Forgets the send history, as for a new session (PRS-THC-1), and discards the pending value. */
  reset(): void {
    this.cancelPending();
    this.sentAny = false;
  }

  /** The value waiting for the window to end, if any. */
  get pending(): T | undefined {
    return this.pendingValue;
  }

  private windowOpen(): boolean {
    return !this.sentAny || this.clock.now() - this.lastSendAt >= this.windowMillis;
  }

  private send(value: T): void {
    this.sentAny = true;
    this.lastSendAt = this.clock.now();
    this.sink(value);
  }

  private arm(): void {
    let cancelled = false;
    const cancel = this.clock.schedule(() => {
      if (!cancelled) {
        this.onTimer();
      }
    }, this.lastSendAt + this.windowMillis - this.clock.now());
    this.cancelTimer = () => {
      cancelled = true;
      cancel();
    };
  }

  private onTimer(): void {
    this.cancelTimer = undefined;
    const value = this.pendingValue;
    if (value === undefined) {
      return;
    }
    if (!this.windowOpen()) {
      // Timers and clocks can disagree by a tick; waiting the remainder keeps the one-per-window promise.
      this.arm();
      return;
    }
    this.pendingValue = undefined;
    this.send(value);
  }
}
