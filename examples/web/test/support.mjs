// What the browser test needs besides the browser: the reference server as a child process, and probes of the
// machine's own scheduling noise, so that a missed time bound can be told apart from a busy machine.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/**
 * The reference server's jar, started with the demo on. Ports come from its listening line:
 * 'presence-server listening on *:PORT plaintext websocket=ws://:WSPORT/presence.v1 ...'.
 */
export class ServerProcess {
  /** @param {string} jar @param {string[]} args */
  static async start(jar, args, { within = 30_000 } = {}) {
    const child = spawn("java", ["-jar", jar, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const output = [];
    const remember = (line) => {
      output.push(line);
      if (output.length > 200) output.shift();
    };
    createInterface({ input: child.stderr }).on("line", remember);
    const lines = createInterface({ input: child.stdout });
    const listening = new Promise((resolve, reject) => {
      lines.on("line", (line) => {
        remember(line);
        if (line.includes("listening on")) resolve(line);
      });
      child.once("exit", (code, signal) =>
        reject(new Error(`the server exited (${code ?? signal}) before listening:\n${output.join("\n")}`)));
      child.once("error", reject);
    });
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the server did not listen within ${within} ms:\n${output.join("\n")}`)),
        within);
    });
    try {
      const line = await Promise.race([listening, timeout]);
      const port = Number(/listening on [^ ]*:(\d+) /.exec(line)?.[1]);
      const wsPort = Number(/ websocket=ws:\/\/:(\d+)\/presence\.v1/.exec(line)?.[1]);
      if (!port || !wsPort) {
        throw new Error(`no ports in the listening line: ${line}`);
      }
      return new ServerProcess(child, port, wsPort, output);
    } catch (e) {
      child.kill("SIGKILL");
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  constructor(child, port, wsPort, output) {
    this.child = child;
    this.port = port;
    this.wsPort = wsPort;
    this.output = output;
  }

  /** Ends the process at once, as a crash would, and waits for it to be gone. */
  async kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, "exit");
      this.child.kill("SIGKILL");
      await exited;
    }
  }
}

/**
 * Starts a server on fixed ports, retrying while the ports are still held by a process that was just killed.
 * @param {string} jar @param {string[]} args @param {number} within
 */
export async function startOnPorts(jar, args, within) {
  const deadline = Date.now() + within;
  for (;;) {
    try {
      return await ServerProcess.start(jar, args);
    } catch (e) {
      if (Date.now() > deadline || !/cannot listen/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Timer lateness in this process: a timer due every `periodMillis` records how late it fired. A page gets the same
 * probe from {@link PAGE_NOISE_PROBE}. Times are milliseconds since the epoch on the high-resolution clock.
 */
export class NoiseProbe {
  constructor(periodMillis = 5) {
    this.period = periodMillis;
    /** @type {[number, number][]} [at, lateness] */
    this.samples = [];
    let expected = performance.now() + periodMillis;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.samples.push([performance.timeOrigin + now, Math.max(0, now - expected)]);
      if (this.samples.length > 100_000) this.samples.splice(0, 50_000);
      expected = now + periodMillis;
    }, periodMillis);
  }

  stop() {
    clearInterval(this.timer);
  }
}

/** The same probe inside a page, installed before the page's own scripts; its samples are window.__timerNoise. */
export const PAGE_NOISE_PROBE = `(() => {
  const period = 10;
  const samples = [];
  window.__timerNoise = samples;
  let expected = performance.now() + period;
  setInterval(() => {
    const now = performance.now();
    samples.push([performance.timeOrigin + now, Math.max(0, now - expected)]);
    if (samples.length > 50000) samples.splice(0, 25000);
    expected = now + period;
  }, period);
})();`;

/** @param {[number, number][]} samples @param {number} from @param {number} to @return the worst lateness in [from, to] */
export function worstLateness(samples, from, to) {
  let worst = 0;
  for (const [at, late] of samples) {
    // A sample taken at `at` covers the time since it was due: [at - late, at].
    if (at >= from && at - late <= to) worst = Math.max(worst, late);
  }
  return worst;
}

/** @param {number[]} values @param {number} q in [0, 1] */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** @param {number[]} values @return 'p50 … p95 … max …' in whole-ish milliseconds */
export function summary(values) {
  const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : "-");
  return `n=${values.length} p50 ${f(quantile(values, 0.5))} ms, p95 ${f(quantile(values, 0.95))} ms, `
    + `max ${f(Math.max(...values))} ms`;
}

/**
 * Polls until `check` returns a truthy value or the deadline passes.
 * @template T @param {string} what @param {() => Promise<T>} check @param {number} within
 * @return {Promise<T>}
 */
export async function until(what, check, within, everyMillis = 20) {
  const deadline = Date.now() + within;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${within} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, everyMillis));
  }
}
