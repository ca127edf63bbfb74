import type { Cancel } from "../clock.js";
import type { ConnectRequest } from "../gen/presence/v1/presence_pb.js";
import type { Call } from "../transport/transport.js";
import type { Credentials } from "./credentials.js";
import { leaveFrame } from "./frames.js";
import type { LivenessMonitor } from "./liveness.js";
import type { ServerLimits } from "./limits.js";

/** One call, that is one session (PRS-TRN-1), with what the client knows about it. */
export class Session {
  private call: Call | undefined;
  private readonly timers = new Map<string, Cancel>();
  private openedLimits: ServerLimits | undefined;
  private monitor: LivenessMonitor | undefined;
  private leftByClient = false;
  private ended = false;
  private heardSinceOpened = false;
  /** Whether the client opened it to move off a draining server. */
  openedByMove = false;

  constructor(readonly credentials: Credentials) {}

  /** Binds the call that carries the session. */
  attach(call: Call): void {
    this.call = call;
  }

  /** Whether the server's `opened` arrived. */
  /** Whether a frame other than `opened` arrived since it opened. */
  get heardAfterOpened(): boolean {
    return this.heardSinceOpened;
  }

  markHeardAfterOpened(): void {
    this.heardSinceOpened = true;
  }

  get isOpened(): boolean {
    return this.openedLimits !== undefined;
  }

  /** The limits of its `opened`; present once opened. */
  get limits(): ServerLimits | undefined {
    return this.openedLimits;
  }

  /** The liveness monitor; present once opened. */
  get liveness(): LivenessMonitor | undefined {
    return this.monitor;
  }

  /** Whether the client sent `leave` on this call, or cancelled it before it opened. */
  get isLeft(): boolean {
    return this.leftByClient;
  }

  markOpened(limits: ServerLimits, liveness: LivenessMonitor): void {
    this.openedLimits = limits;
    this.monitor = liveness;
  }

  markEnded(): void {
    this.ended = true;
    this.stopTimers();
  }

  /** Ties a timer to this session under a name, replacing (and cancelling) the one of that name. */
  setTimer(name: "open" | "liveness" | "refresh", cancel: Cancel): void {
    this.timers.get(name)?.();
    this.timers.set(name, cancel);
  }

  /** Cancels the session's timers: liveness checks, the open timeout, the credential refresh. */
  stopTimers(): void {
    const cancels = [...this.timers.values()];
    this.timers.clear();
    cancels.forEach((cancel) => cancel());
  }

  send(frame: ConnectRequest): void {
    if (!this.ended && !this.leftByClient) {
      this.call?.send(frame);
    }
  }

  /** Leaves on purpose: `leave` then the clean end, or a cancel when there is nothing to leave yet. */
  leave(): void {
    if (this.leftByClient || this.ended) {
      return;
    }
    this.leftByClient = true;
    if (this.isOpened) {
      this.call?.send(leaveFrame());
      this.call?.finish();
    } else {
      this.call?.cancel();
    }
  }

  /** Gives the call up, for example when the server stopped answering. */
  abandon(): void {
    this.call?.cancel();
  }
}
