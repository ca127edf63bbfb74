/** Cancels a scheduled task; harmless when it already ran. */
export type Cancel = () => void;

/**
 * Time as the client sees it. The default is real time; tests inject a clock they advance by hand, so that the
 * throttle, the reconnect schedule, liveness probes and credential refreshes run without sleeping.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Runs `task` after `delayMillis` milliseconds (at least 0), unless cancelled first. */
  schedule(task: () => void, delayMillis: number): Cancel;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => performance.now(),
  schedule(task, delayMillis) {
    const handle = setTimeout(task, Math.max(0, delayMillis));
    return () => clearTimeout(handle);
  },
};
