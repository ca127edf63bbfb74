// The live-cursors demo in a real browser: Debian's Chromium driven by playwright-core, against the reference
// server's jar started with --demo. Run from examples/web with `npm test` after building the jar.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import {
  NoiseProbe, PAGE_NOISE_PROBE, ServerProcess, quantile, startOnPorts, summary, until, worstLateness,
} from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, "../../..");
const JAR = process.env.PRESENCE_SERVER_JAR ?? join(ROOT, "reference-server/target/presence-server.jar");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RESULTS = join(here, "../test-results");

/** Issue's bound from a mouse move in one tab to the cursor drawn in another. */
const CURSOR_BOUND_MILLIS = 200;
/**
 * The server runs with its defaults for these (the flags below leave them alone), and a session that ends is gone
 * for the others within leave_detection_millis + W whatever the way it ended (PRS-LIV-1, PRS-END-2).
 */
const LEAVE_DETECTION_MILLIS = 10_000;
const THROTTLE_WINDOW_MILLIS = 50;
const LEAVE_BOUND_MILLIS = LEAVE_DETECTION_MILLIS + THROTTLE_WINDOW_MILLIS;
/** The reconnect backoff grows 250 ms × 2^n with full jitter; a restarted server is back within a few seconds. */
const RECONNECT_WITHIN_MILLIS = 30_000;
/** Retakes allowed for a latency sample whose miss the machine's own measured lateness explains. */
const MAX_RETAKES = 5;

const room = `browser-test-${Date.now().toString(36)}`;
let server;
let browser;
let nodeNoise;
/** @type {Map<string, Tab>} */
const tabs = new Map();
const latencies = [];
const pageLateness = [];
const nodeLateness = [];

/** One browser context with one page of the demo. */
class Tab {
  static async open(label) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(PAGE_NOISE_PROBE);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.wsPort}/?room=${room}`);
    const tab = new Tab(label, context, page, errors);
    await tab.waitForConnection("open");
    tab.userId = await page.evaluate(() => window.presenceDemo.identity.userId);
    tab.name = await page.evaluate(() => window.presenceDemo.identity.name);
    tabs.set(label, tab);
    return tab;
  }

  constructor(label, context, page, errors) {
    this.label = label;
    this.context = context;
    this.page = page;
    this.errors = errors;
  }

  async waitForConnection(state, within = 15_000) {
    await this.page.locator(`#connection[data-state="${state}"]`).waitFor({ timeout: within });
  }

  /** @return the user ids whose cursors this page draws */
  cursorUsers() {
    return this.page.evaluate(() => [...document.querySelectorAll("#canvas .cursor")].map((c) => c.dataset.user));
  }

  /** @return the user ids in this page's users list */
  listedUsers() {
    return this.page.evaluate(() => [...document.querySelectorAll("#user-list li")].map((li) => li.dataset.user));
  }

  async screenshot(name) {
    await this.page.screenshot({ path: join(RESULTS, `${name}.png`) });
  }

  async close() {
    tabs.delete(this.label);
    await this.context.close();
  }
}

before(async () => {
  assert.ok(existsSync(JAR), `build the server first: ${JAR} is missing`);
  assert.ok(existsSync(CHROMIUM), `install Debian's chromium: ${CHROMIUM} is missing`);
  await mkdir(RESULTS, { recursive: true });
  nodeNoise = new NoiseProbe();
  // No warm-up: the test judges cursor latency against a generous bound, and a restart must come back quickly.
  server = await ServerProcess.start(JAR, ["--port", "0", "--ws-port", "-1", "--metrics-port", "0", "--demo",
    "--warmup-millis", "0"]);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
});

after(async () => {
  nodeNoise?.stop();
  await browser?.close();
  await server?.kill();
  const nodeLate = nodeNoise?.samples.map(([, late]) => late) ?? [];
  console.log(`cursor latency, input in one page to paint in the other (bound ${CURSOR_BOUND_MILLIS} ms): `
    + summary(latencies));
  console.log(`timer lateness during the latency samples, in the pages (10 ms timer): ${summary(pageLateness)}`);
  console.log(`timer lateness during the latency samples, in this process (5 ms timer): ${summary(nodeLateness)}`);
  console.log(`timer lateness in this process over the whole run, restarts included: ${summary(nodeLate)}`);
});

/**
 * Moves the mouse in `from` along the given viewport points and measures, on the pages' own clocks, how long after
 * the last move's input event `to` painted the cursor there.
 * @return {Promise<{latency: number, noise: number}>}
 */
async function cursorSample(from, to, points) {
  const seen = await from.page.evaluate(() => window.presenceDemo.trace.inputs.length);
  for (const point of points) {
    await from.page.mouse.move(point.x, point.y);
  }
  const input = await until("the input event recorded",
    () => from.page.evaluate((n) => {
      const inputs = window.presenceDemo.trace.inputs;
      return inputs.length > n ? inputs[inputs.length - 1] : null;
    }, seen), 5_000);
  const shown = await until(`${to.label} drawing ${from.label}'s cursor at ${input.x},${input.y}`,
    () => to.page.evaluate(({ userId, x, y, since }) => window.presenceDemo.trace.shown
      .find((s) => s.userId === userId && s.x === x && s.y === y && s.paintedAt >= since) ?? null,
    { userId: from.userId, x: input.x, y: input.y, since: input.at }), 5_000, 10);
  const latency = shown.paintedAt - input.at;
  assert.ok(latency >= 0, `the pages' clocks disagree: painted ${latency} ms before the input`);
  const window_ = { from: input.at, to: shown.paintedAt };
  const pageSamples = [];
  for (const tab of [from, to]) {
    pageSamples.push(...await tab.page.evaluate(({ from: a, to: b }) =>
      window.__timerNoise.filter(([at, late]) => at >= a && at - late <= b + 20), window_));
  }
  pageLateness.push(...pageSamples.map(([, late]) => late));
  nodeLateness.push(...nodeNoise.samples.filter(([at, late]) => at >= window_.from && at - late <= window_.to)
    .map(([, late]) => late));
  const noise = Math.max(worstLateness(nodeNoise.samples, window_.from, window_.to),
    worstLateness(pageSamples, window_.from, window_.to));
  return { latency, noise };
}

/**
 * Takes samples until `count` were judged; a sample over the bound whose excess the machine's own lateness in the
 * same interval covers is inconclusive and retaken, up to MAX_RETAKES times in all.
 */
async function measureCursor(from, to, count, pointsFor) {
  let retakes = 0;
  for (let i = 0; i < count; i++) {
    // A retake moves to points it has not used: the same point again would send the state the other tab already shows.
    const points = pointsFor(i).map(({ x, y }) => ({ x: x + retakes, y }));
    const { latency, noise } = await cursorSample(from, to, points);
    if (latency <= CURSOR_BOUND_MILLIS) {
      latencies.push(latency);
      continue;
    }
    const verdict = `${from.label} -> ${to.label} sample ${i}: ${latency.toFixed(1)} ms over the ${CURSOR_BOUND_MILLIS} ms `
      + `bound, with ${noise.toFixed(1)} ms of timer lateness on this machine in that interval`;
    if (latency - noise <= CURSOR_BOUND_MILLIS && retakes < MAX_RETAKES) {
      console.log(`inconclusive, retaken: ${verdict}`);
      retakes++;
      i--;
      continue;
    }
    latencies.push(latency);
    assert.fail(latency - noise <= CURSOR_BOUND_MILLIS
      ? `inconclusive ${MAX_RETAKES + 1} times: ${verdict}` : verdict);
  }
}

test("two tabs load the demo from the server, connect, and list each other", { timeout: 60_000 }, async () => {
  const a = await Tab.open("A");
  const b = await Tab.open("B");
  assert.notEqual(a.userId, b.userId, "each tab is a user of its own");
  for (const tab of [a, b]) {
    await until(`${tab.label} listing both users`,
      async () => (await tab.listedUsers()).sort().join() === [a.userId, b.userId].sort().join(), 10_000);
  }
  assert.equal(await a.page.locator(`#user-list li[data-user="${b.userId}"] .name`).textContent(), b.name);
});

test(`a mouse move in one tab shows the cursor in the other within ${CURSOR_BOUND_MILLIS} ms`, { timeout: 120_000 },
  async () => {
    const a = tabs.get("A");
    const b = tabs.get("B");
    // Single moves to fresh points: each is a first send after a pause, or falls in the throttle window.
    await measureCursor(a, b, 15, (i) => [{ x: 120 + 37 * i, y: 150 + 19 * i }]);
    await measureCursor(b, a, 15, (i) => [{ x: 700 - 29 * i, y: 500 - 13 * i }]);
    // Sweeps, as a hand moves: twenty moves in a row, of which the throttle sends the first and the last.
    await measureCursor(a, b, 3, (i) => Array.from({ length: 20 }, (_, k) => ({ x: 200 + 25 * k, y: 250 + 60 * i + 3 * k })));
    const cursor = a.page.locator(`.cursor[data-user="${b.userId}"]`);
    assert.equal(await cursor.locator(".name").textContent(), b.name, "the cursor carries the user's name");
    // The colour comes from the user id: B's cursor in A has the colour B's own page shows for B.
    const colourInA = await cursor.evaluate((c) => getComputedStyle(c).color);
    const colourInB = await b.page.evaluate(() => getComputedStyle(document.getElementById("me")).getPropertyValue("--colour"));
    const probe = await a.page.evaluate((c) => {
      const el = document.createElement("i");
      el.style.color = c;
      document.body.append(el);
      const rgb = getComputedStyle(el).color;
      el.remove();
      return rgb;
    }, colourInB.trim());
    assert.equal(colourInA, probe);
    await a.screenshot("01-cursor-of-b-in-a");
    await b.screenshot("01-cursor-of-a-in-b");
    console.log(`latency samples so far: ${summary(latencies)}; p99 ${quantile(latencies, 0.99).toFixed(1)} ms`);
  });

test("follow mode: a tab that follows a user scrolls with them, and stops when it unfollows", { timeout: 60_000 },
  async () => {
    const a = tabs.get("A");
    const b = tabs.get("B");
    const scrollOf = (tab) => tab.page.evaluate(() => {
      const board = document.getElementById("board");
      return { x: Math.round(board.scrollLeft), y: Math.round(board.scrollTop) };
    });
    const scrollTo = (tab, x, y) => tab.page.evaluate(({ x, y }) =>
      document.getElementById("board").scrollTo({ left: x, top: y, behavior: "instant" }), { x, y });

    await a.page.locator(`#user-list li[data-user="${b.userId}"] button`).click();
    await a.page.locator(`#user-list li[data-user="${b.userId}"] button.unfollow`).waitFor({ timeout: 5_000 });
    await a.page.locator("#follow-banner").waitFor({ state: "visible", timeout: 5_000 });
    assert.equal(await a.page.locator("#follow-name").textContent(), b.name);

    await scrollTo(b, 640, 420);
    await b.page.mouse.move(500, 400);
    const followed = await scrollOf(b);
    assert.deepEqual(followed, { x: 640, y: 420 });
    await until("A's board scrolled to B's view", async () => {
      const at = await scrollOf(a);
      return at.x === followed.x && at.y === followed.y;
    }, 5_000);
    await until("B's cursor highlighted in A", () =>
      a.page.locator(`.cursor.followed[data-user="${b.userId}"]`).isVisible(), 5_000);
    await a.screenshot("02-a-follows-b");

    await a.page.locator("#unfollow").click();
    await a.page.locator("#follow-banner").waitFor({ state: "hidden", timeout: 5_000 });
    await a.page.locator(`#user-list li[data-user="${b.userId}"] button.follow`).waitFor({ timeout: 5_000 });
    await scrollTo(b, 100, 60);
    await b.page.mouse.move(300, 300);
    const moved = await b.page.evaluate(() => window.presenceDemo.trace.inputs.at(-1));
    // Once A draws B's new cursor it holds B's state with the new view, and has not scrolled to it.
    await until("A drawing B's cursor after B scrolled", () => a.page.evaluate(({ userId, x, y, since }) =>
      window.presenceDemo.trace.shown.some((s) => s.userId === userId && s.x === x && s.y === y && s.paintedAt >= since),
    { userId: b.userId, x: moved.x, y: moved.y, since: moved.at }), 5_000);
    assert.deepEqual(await scrollOf(a), followed, "A stays where it was after unfollowing");
  });

test(`closing a tab makes its cursor vanish in the others within ${LEAVE_BOUND_MILLIS} ms`, { timeout: 60_000 },
  async () => {
    const a = tabs.get("A");
    const b = tabs.get("B");
    const c = await Tab.open("C");
    await a.page.locator(`#user-list li[data-user="${b.userId}"] button`).click();
    await c.page.mouse.move(820, 360);
    await b.page.mouse.move(560, 240);
    for (const tab of [a, b]) {
      await until(`${tab.label} drawing C's cursor`, async () => (await tab.cursorUsers()).includes(c.userId), 5_000);
    }
    await a.screenshot("03-three-users");
    const closedAt = performance.timeOrigin + performance.now();
    await c.close();
    for (const tab of [a, b]) {
      const removed = await until(`C's cursor gone in ${tab.label}`, () => tab.page.evaluate((userId) =>
        window.presenceDemo.trace.removed.find((r) => r.userId === userId) ?? null, c.userId), LEAVE_BOUND_MILLIS + 5_000);
      const after = removed.at - closedAt;
      console.log(`C's cursor vanished in ${tab.label} ${after.toFixed(1)} ms after its context was closed (reason ${removed.reason})`);
      assert.ok(after <= LEAVE_BOUND_MILLIS, `vanished after ${after} ms`);
      assert.ok(!(await tab.cursorUsers()).includes(c.userId));
      await until(`C gone from ${tab.label}'s users list`, async () => !(await tab.listedUsers()).includes(c.userId), 5_000);
    }
    await a.page.locator("#unfollow").click();
  });

test("after the server restarts, the tabs reconnect and no ghost cursor remains", { timeout: 120_000 }, async () => {
  const a = tabs.get("A");
  const b = tabs.get("B");
  const d = await Tab.open("D");
  await d.page.mouse.move(900, 500);
  await b.page.mouse.move(420, 330);
  for (const tab of [a, b]) {
    await until(`${tab.label} drawing D's cursor`, async () => (await tab.cursorUsers()).includes(d.userId), 5_000);
  }
  const { port, wsPort } = server;
  await server.kill();
  for (const tab of [a, b]) {
    await tab.waitForConnection("reconnecting", 15_000);
  }
  await a.screenshot("04-server-down");
  // D's tab goes away while the server is down: no session of D reaches the new server, and nobody may keep D.
  await d.close();
  server = await startOnPorts(JAR, ["--port", String(port), "--ws-port", String(wsPort), "--metrics-port", "0",
    "--demo", "--warmup-millis", "0"], 15_000);
  for (const tab of [a, b]) {
    await tab.waitForConnection("open", RECONNECT_WITHIN_MILLIS);
  }
  for (const tab of [a, b]) {
    await until(`${tab.label} without D's cursor`, async () => !(await tab.cursorUsers()).includes(d.userId), 10_000);
    await until(`${tab.label} listing exactly A and B`,
      async () => (await tab.listedUsers()).sort().join() === [a.userId, b.userId].sort().join(), 10_000);
  }
  // Live again both ways, and D stays gone.
  await measureCursor(b, a, 3, (i) => [{ x: 300 + 41 * i, y: 200 + 23 * i }]);
  await measureCursor(a, b, 3, (i) => [{ x: 640 + 31 * i, y: 420 - 17 * i }]);
  for (const tab of [a, b]) {
    assert.deepEqual(await tab.cursorUsers(), [tab === a ? b.userId : a.userId]);
    assert.deepEqual(tab.errors, [], `no page errors in ${tab.label}`);
  }
  await a.screenshot("05-after-restart");
});
