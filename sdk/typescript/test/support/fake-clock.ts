import type { Cancel, Clock } from "../../src/clock.js";

interface Task {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/** A clock that moves only when a test advances it; due tasks run in time order. */
export class FakeClock implements Clock {
  private time = 1_000;
  private seq = 0;
  private tasks: Task[] = [];

  now(): number {
    return this.time;
  }

  schedule(run: () => void, delayMillis: number): Cancel {
    const task: Task = { at: this.time + Math.max(0, delayMillis), seq: this.seq++, run, cancelled: false };
    this.tasks.push(task);
    return () => {
      task.cancelled = true;
    };
  }

  /** Advances time by `millis`, running every task that falls due, and lets promises settle in between. */
  async advance(millis: number): Promise<void> {
    const end = this.time + millis;
    for (;;) {
      await settle();
      this.tasks = this.tasks.filter((t) => !t.cancelled);
      const next = this.tasks.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) {
        break;
      }
      this.tasks.splice(this.tasks.indexOf(next), 1);
      this.time = Math.max(this.time, next.at);
      next.run();
    }
    this.time = end;
    await settle();
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
  await new Promise((resolve) => setImmediate(resolve));
}
