import type { StatusCode } from "../errors.js";

/** What SPEC §14.1's "Client retries" column says to do after a call ended (PRS-RCN-3). */
export type Retry =
  /** Retrying cannot help; the client stops and reports the error. */
  | "never"
  /** Reopen without delay; a second at-once retry in a row waits like `backoff`. */
  | "at-once"
  /** Reopen after the backoff delay of PRS-RCN-4. */
  | "backoff"
  /** Reopen once, at once, if the token source hands out a different token; else stop. */
  | "new-credentials";

const BY_REASON: Readonly<Record<string, Retry>> = {
  OPEN_REQUIRED: "never",
  INVALID_ROOM_ID: "never",
  MALFORMED_FRAME: "never",
  UNSUPPORTED_VERSION: "never",
  ROOM_FORBIDDEN: "never",
  FRAME_TOO_LARGE: "never",
  UNAUTHENTICATED: "new-credentials",
  CREDENTIALS_EXPIRED: "at-once",
  SHUTTING_DOWN: "at-once",
  TOO_MANY_SESSIONS: "backoff",
  IDLE_TIMEOUT: "backoff",
  PING_TIMEOUT: "backoff",
  OPEN_TIMEOUT: "backoff",
};

/**
 * Classifies the end of a call by its `ErrorInfo` reason, or by its code for a reason this client does not know
 * or none (PRS-ERR-5).
 *
 * @param afterOwnLeave whether the client had sent `leave` on the call
 */
export function classify(code: StatusCode, reason: string, afterOwnLeave: boolean): Retry {
  if (code === "OK") {
    return afterOwnLeave ? "never" : "backoff";
  }
  const byReason = reason ? BY_REASON[reason] : undefined;
  if (byReason) {
    return byReason;
  }
  switch (code) {
    case "UNIMPLEMENTED":
    case "PERMISSION_DENIED":
    case "INVALID_ARGUMENT":
    case "FAILED_PRECONDITION":
      return "never";
    case "UNAUTHENTICATED":
      return "new-credentials";
    default:
      return "backoff";
  }
}

/** Exponential backoff with full jitter (PRS-RCN-4): the n-th delay is uniform in [0, min(max, initial × 2ⁿ)]. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly random: () => number,
    private readonly initialMillis = 250,
    private readonly maxMillis = 30_000,
  ) {}

  /** The next delay; each call raises the bound until {@link reset}. */
  nextDelayMillis(): number {
    const bound = this.currentBoundMillis();
    this.attempt = Math.min(this.attempt + 1, 62);
    return Math.floor(this.random() * (bound + 1));
  }

  /** The bound the next delay is drawn under. */
  currentBoundMillis(): number {
    return Math.min(this.maxMillis, this.initialMillis * 2 ** this.attempt);
  }

  /** Starts over after a session that stayed open. */
  reset(): void {
    this.attempt = 0;
  }
}

/** The decision after a call ended: stop (`never`), or how and after what delay the next attempt is made. */
export interface Plan {
  readonly retry: Retry;
  readonly delayMillis: number;
}

/** A session open this long resets the backoff exponent (PRS-RCN-4). */
export const STABLE_SESSION_MILLIS = 10_000;

/**
 * When the next session is opened after one ended (PRS-RCN-3, PRS-RCN-4, PRS-RCN-7). An at-once retry is at once
 * only the first time in a row, so a server that keeps answering `SHUTTING_DOWN` is not hammered; new credentials
 * are tried once per outage.
 */
export class RetryPlanner {
  private openedAt = 0;
  private open = false;
  private atOnceUsed = false;
  private newCredentialsUsed = false;

  constructor(private readonly backoff: Backoff, private readonly hasCredentials: boolean) {}

  /** A session opened at this time. */
  opened(nowMillis: number): void {
    this.open = true;
    this.openedAt = nowMillis;
    this.atOnceUsed = false;
    this.newCredentialsUsed = false;
  }

  /** A session or an attempt ended; plans the next attempt. */
  next(retry: Retry, nowMillis: number): Plan {
    if (this.open && nowMillis - this.openedAt >= STABLE_SESSION_MILLIS) {
      this.backoff.reset();
    }
    this.open = false;
    switch (retry) {
      case "never":
        return { retry, delayMillis: 0 };
      case "at-once":
        if (this.atOnceUsed) {
          return { retry: "backoff", delayMillis: this.backoff.nextDelayMillis() };
        }
        this.atOnceUsed = true;
        return { retry, delayMillis: 0 };
      case "new-credentials":
        if (!this.hasCredentials || this.newCredentialsUsed) {
          return { retry: "never", delayMillis: 0 };
        }
        this.newCredentialsUsed = true;
        return { retry, delayMillis: 0 };
      case "backoff":
        return { retry, delayMillis: this.backoff.nextDelayMillis() };
    }
  }
}
