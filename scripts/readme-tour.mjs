#!/usr/bin/env node
// Walks README.md's quick start as a newcomer would: every shell block marked with a `<!-- tour ... -->` comment
// runs, in order, from the repository root, exactly as written. CI runs it on its fresh clone before anything else
// is built, so a README that drifts from reality breaks the build.
//
// A marker names its step and how it runs:
//   <!-- tour step=build -->                        runs to completion and must exit 0
//   <!-- tour step=server start ready="listening" --> starts in the background; the tour goes on once the output
//                                                    holds the text (a second terminal, for the reader)
//   <!-- tour step=send shows="watch:ada" -->       after it exits 0, the watch step's output must come to hold "ada"
//   term-exit=0                                     a started step must exit with this code after SIGTERM
//   timeout=SECONDS                                 overrides the step's bound (600 s for a run, 60 s to be ready)
// Whatever a step prints must not look like failure: no stack trace, no exception, no ERROR line.
//
// Usage: scripts/readme-tour.mjs [README path]; logs go to target/readme-tour/<step>.log.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const readme = resolve(process.argv[2] ?? join(root, "README.md"));
const logDir = join(root, "target", "readme-tour");
const RUN_TIMEOUT_SECONDS = 600;
const READY_TIMEOUT_SECONDS = 60;
const SHOWS_TIMEOUT_SECONDS = 15;
const TERM_TIMEOUT_SECONDS = 20;
const ALARMING = [
  [/^\s+at [\w.$/<>]+\(.*\)\s*$/m, "a stack trace"],
  [/\b[\w.]*(Exception|Error):/, "an exception"],
  [/level=ERROR|^\[ERROR\]|^ERROR\b/m, "an ERROR line"],
];

class TourFailure extends Error {}

/** @return the marked blocks of the README, in order */
function stepsOf(text) {
  const steps = [];
  for (const [, attributes, command] of text.matchAll(/<!-- tour (.*?) -->\s*\n```(?:sh|bash)\n([\s\S]*?)\n```/g)) {
    const step = { command: command.trim(), mode: "run" };
    for (const [, key, quoted, bare] of attributes.matchAll(/([\w-]+)(?:="([^"]*)"|=(\S+))?/g)) {
      step[key] = quoted ?? bare ?? true;
    }
    if (step.start) {
      step.mode = "start";
    }
    if (!step.step) {
      throw new TourFailure(`a tour marker without step=NAME: <!-- tour ${attributes} -->`);
    }
    steps.push(step);
  }
  if (steps.length === 0) {
    throw new TourFailure(`${readme} has no <!-- tour ... --> markers`);
  }
  return steps;
}

/** A step's process: its output kept in memory for the checks and written to its log. */
class Running {
  constructor(step) {
    this.step = step;
    this.output = "";
    this.log = createWriteStream(join(logDir, `${step.step}.log`));
    // Its own process group, so the whole command line can be stopped together.
    this.child = spawn("bash", ["-c", step.command], { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.exited = new Promise((done) => this.child.on("exit", (code, signal) => done({ code, signal })));
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream.on("data", (chunk) => {
        this.output += chunk;
        this.log.write(chunk);
      });
    }
  }

  /** Resolves once the output holds `text`, rejects if the process exits first or time runs out. */
  async waitFor(text, seconds, what) {
    const deadline = Date.now() + seconds * 1000;
    let exited = null;
    this.exited.then((e) => { exited = e; });
    while (!this.output.includes(text)) {
      if (exited) {
        throw new TourFailure(`${what}: the process exited (${describe(exited)}) before printing "${text}"`);
      }
      if (Date.now() > deadline) {
        throw new TourFailure(`${what}: "${text}" not printed within ${seconds} s`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop() {
    try {
      process.kill(-this.child.pid, "SIGTERM");
    } catch {
      // Already gone; its exit status is judged below.
    }
    const exit = await within(this.exited, TERM_TIMEOUT_SECONDS);
    if (exit === null) {
      process.kill(-this.child.pid, "SIGKILL");
      throw new TourFailure(`${this.step.step}: still running ${TERM_TIMEOUT_SECONDS} s after SIGTERM`);
    }
    return exit;
  }
}

/** @return what `promise` resolves to, or null once `seconds` passed first (the timer never outlives the race) */
async function within(promise, seconds) {
  let timer;
  const timeout = new Promise((r) => { timer = setTimeout(() => r(null), seconds * 1000); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe({ code, signal }) {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

function checkQuiet(running) {
  for (const [pattern, what] of ALARMING) {
    const match = running.output.match(pattern);
    if (match) {
      const line = running.output.slice(0, match.index).split("\n").length;
      throw new TourFailure(`${running.step.step} printed ${what} (line ${line} of its log): ${match[0].trim()}`);
    }
  }
}

function tail(running) {
  return running.output.trimEnd().split("\n").slice(-25).map((l) => `  | ${l}`).join("\n");
}

async function walk(steps) {
  const started = new Map();
  const all = [];
  try {
    for (const [i, step] of steps.entries()) {
      console.log(`tour ${i + 1}/${steps.length} ${step.step}: ${step.command}`);
      const began = Date.now();
      const running = new Running(step);
      all.push(running);
      if (step.mode === "start") {
        await running.waitFor(step.ready ?? "", Number(step.timeout ?? READY_TIMEOUT_SECONDS), step.step);
        started.set(step.step, running);
      } else {
        const exit = await within(running.exited, Number(step.timeout ?? RUN_TIMEOUT_SECONDS));
        if (exit === null) {
          process.kill(-running.child.pid, "SIGKILL");
          throw new TourFailure(`${step.step}: not done within ${step.timeout ?? RUN_TIMEOUT_SECONDS} s`);
        }
        if (exit.code !== 0) {
          throw new TourFailure(`${step.step}: ${describe(exit)}`);
        }
      }
      if (step.shows) {
        const [, other, text] = step.shows.match(/^([^:]*):(.*)$/s) ?? [];
        const watcher = started.get(other);
        if (!watcher) {
          throw new TourFailure(`${step.step}: shows="${step.shows}" names no started step`);
        }
        await watcher.waitFor(text, SHOWS_TIMEOUT_SECONDS, `${other} after ${step.step}`);
      }
      checkQuiet(running);
      console.log(`  ok in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    }
    for (const running of [...started.values()].reverse()) {
      const exit = await running.stop();
      const wanted = running.step["term-exit"];
      if (wanted !== undefined && exit.code !== Number(wanted)) {
        throw new TourFailure(`${running.step.step}: ${describe(exit)} after SIGTERM, not exit code ${wanted}`);
      }
      checkQuiet(running);
      console.log(`tour stopped ${running.step.step}: ${describe(exit)}`);
    }
  } catch (e) {
    const last = all.at(-1);
    if (e instanceof TourFailure && last) {
      console.error(`the README's quick start failed: ${e.message}\nlast output of ${last.step.step}:\n${tail(last)}`);
    }
    for (const running of all) {
      try {
        process.kill(-running.child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    throw e;
  }
}

mkdirSync(logDir, { recursive: true });
try {
  await walk(stepsOf(readFileSync(readme, "utf8")));
  console.log(`the README's quick start works as written (logs in ${logDir})`);
} catch (e) {
  if (!(e instanceof TourFailure)) {
    console.error(e);
  }
  process.exitCode = 1;
}
