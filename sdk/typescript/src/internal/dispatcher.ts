import type { Logger } from "../logger.js";

/**
 * Runs application callbacks outside the client's own bookkeeping, in the order they were posted. Entry points
 * (API calls, frames, timers) run through {@link run}; the callbacks they post run when the outermost one
 * returns, so a callback may call back into the client safely, and its own callbacks queue behind the others.
 */
export class Dispatcher {
  private readonly queue: Array<() => void> = [];
  private depth = 0;
  private draining = false;

  constructor(private readonly logger: Logger) {}

  /** Queues a callback. */
  post(callback: () => void): void {
    this.queue.push(callback);
  }

  /** Runs an entry point, then the callbacks it posted. */
  run<T>(entry: () => T): T {
    this.depth++;
    try {
      return entry();
    } finally {
      this.depth--;
      if (this.depth === 0) {
        this.drain();
      }
    }
  }

  private drain(): void {
    if (this.draining) {
      return;
    }
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        try {
          next();
        } catch (e) {
          // The application's callback failed; the client goes on. Only the error is logged, never a state.
          this.logger.error("presence: an application callback threw", e);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
