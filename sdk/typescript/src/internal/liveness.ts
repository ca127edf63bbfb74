/** What to do at a liveness check. */
export type Verdict = "wait" | "probe" | "lost";

/** PRS-LIV-9: the shortest interval between two probes. */
export const MIN_PROBE_SPACING_MILLIS = 1_000;

/**
 * Detects a dead server (PRS-LIV-9): after half of `leave_detection_millis` without any frame the client probes
 * with a `ping`, and if nothing at all arrives within another half the connection counts as lost.
 */
export class LivenessMonitor {
  readonly halfBoundMillis: number;
  private lastHeardAt: number;
  private probed = false;
  private awaitingAnswer = false;
  private probeSentAt = 0;
  private nonce = 0n;

  constructor(detectionMillis: number, nowMillis: number) {
    this.halfBoundMillis = Math.max(1, Math.floor(detectionMillis / 2));
    this.lastHeardAt = nowMillis;
  }

  /** How often {@link check} should run: a fifth of the half bound, within 10..500 ms. */
  get checkIntervalMillis(): number {
    return Math.max(10, Math.min(500, Math.floor(this.halfBoundMillis / 5)));
  }

  /** A frame arrived; any frame answers a probe. */
  heard(nowMillis: number): void {
    this.lastHeardAt = nowMillis;
    this.awaitingAnswer = false;
  }

  check(nowMillis: number): Verdict {
    if (this.awaitingAnswer) {
      return nowMillis - this.probeSentAt >= this.halfBoundMillis ? "lost" : "wait";
    }
    const quiet = nowMillis - this.lastHeardAt >= this.halfBoundMillis;
    const spaced = !this.probed || nowMillis - this.probeSentAt >= MIN_PROBE_SPACING_MILLIS;
    if (quiet && spaced) {
      this.probed = true;
      this.awaitingAnswer = true;
      this.probeSentAt = nowMillis;
      return "probe";
    }
    return "wait";
  }

  /** The nonce for a ping this client sends; never zero, never repeated within the session. */
  nextNonce(): bigint {
    this.nonce += 1n;
    return this.nonce;
  }
}
