import { describe, expect, it } from "vitest";
import { UpdateThrottle } from "../../src/internal/throttle.js";
import { Backoff, classify, RetryPlanner } from "../../src/internal/retry.js";
import { LivenessMonitor } from "../../src/internal/liveness.js";
import { credentialsOf, jwtExpiryMillis, refreshDelayMillis } from "../../src/internal/credentials.js";
import { FakeClock } from "../support/fake-clock.js";

function throttle(clock: FakeClock, window = 50) {
  const sent: Array<[number, string]> = [];
  const t = new UpdateThrottle<string>(window, clock, (v) => sent.push([clock.now() - 1_000, v]));
  return { t, sent };
}

describe("UpdateThrottle (SPEC §7.1)", () => {
  it("sends the first value at once (leading edge, PRS-THC-2)", () => {
    const clock = new FakeClock();
    const { t, sent } = throttle(clock);
    t.submit("a");
    expect(sent).toEqual([[0, "a"]]);
  });

  it("holds values within the window and sends only the latest when it ends (PRS-THC-3)", async () => {
    const clock = new FakeClock();
    const { t, sent } = throttle(clock);
    t.submit("a");
    await clock.advance(10);
    t.submit("b");
    await clock.advance(10);
    t.submit("c");
    await clock.advance(100);
    expect(sent).toEqual([[0, "a"], [50, "c"]]);
  });

  it("never sends two values less than a window apart (PRS-THC-1)", async () => {
    const clock = new FakeClock();
    const { t, sent } = throttle(clock, 40);
    for (let i = 0; i < 100; i++) {
      t.submit(`v${i}`);
      await clock.advance(7);
    }
    await clock.advance(100);
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i]![0] - sent[i - 1]![0]).toBeGreaterThanOrEqual(40);
    }
    expect(sent[sent.length - 1]![1]).toBe("v99");
  });

  it("sends at once after a quiet window", async () => {
    const clock = new FakeClock();
    const { t, sent } = throttle(clock);
    t.submit("a");
    await clock.advance(60);
    t.submit("b");
    expect(sent).toEqual([[0, "a"], [60, "b"]]);
  });

  it("drops the pending value on cancel (a clear, PRS-THC-4)", async () => {
    const clock = new FakeClock();
    const { t, sent } = throttle(clock);
    t.submit("a");
    t.submit("b");
    t.cancelPending();
    await clock.advance(100);
    expect(sent).toEqual([[0, "a"]]);
  });
});

describe("retry policy (SPEC §14.1, §15)", () => {
  it("classifies by reason first, then by code", () => {
    expect(classify("UNAUTHENTICATED", "CREDENTIALS_EXPIRED", false)).toBe("at-once");
    expect(classify("UNAUTHENTICATED", "", false)).toBe("new-credentials");
    expect(classify("RESOURCE_EXHAUSTED", "TOO_MANY_SESSIONS", false)).toBe("backoff");
    expect(classify("RESOURCE_EXHAUSTED", "FRAME_TOO_LARGE", false)).toBe("never");
    expect(classify("UNAVAILABLE", "SHUTTING_DOWN", false)).toBe("at-once");
    expect(classify("UNAVAILABLE", "", false)).toBe("backoff");
    expect(classify("UNIMPLEMENTED", "", false)).toBe("never");
    expect(classify("FAILED_PRECONDITION", "SOME_NEW_REASON", false)).toBe("never");
    expect(classify("INTERNAL", "SOME_NEW_REASON", false)).toBe("backoff");
    expect(classify("OK", "", true)).toBe("never");
    expect(classify("OK", "", false)).toBe("backoff");
  });

  it("draws delays uniformly under min(30 s, 250 ms × 2ⁿ) (PRS-RCN-4)", () => {
    const backoff = new Backoff(() => 0.999999);
    const delays = Array.from({ length: 10 }, () => backoff.nextDelayMillis());
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(new Backoff(() => 0).nextDelayMillis()).toBe(0);
  });

  it("resets the exponent after a session that stayed open 10 s, and retries at once only once in a row", () => {
    const planner = new RetryPlanner(new Backoff(() => 0.999999), true);
    expect(planner.next("backoff", 0).delayMillis).toBe(250);
    expect(planner.next("backoff", 0).delayMillis).toBe(500);
    planner.opened(1_000);
    expect(planner.next("backoff", 11_000).delayMillis).toBe(250);
    planner.opened(20_000);
    expect(planner.next("at-once", 20_001)).toEqual({ retry: "at-once", delayMillis: 0 });
    expect(planner.next("at-once", 20_002).retry).toBe("backoff");
    expect(planner.next("new-credentials", 20_003).retry).toBe("new-credentials");
    expect(planner.next("new-credentials", 20_004).retry).toBe("never");
  });
});

describe("liveness (PRS-LIV-9)", () => {
  it("probes after half the bound of silence and gives up after the other half", () => {
    const monitor = new LivenessMonitor(10_000, 0);
    expect(monitor.check(4_999)).toBe("wait");
    expect(monitor.check(5_000)).toBe("probe");
    expect(monitor.check(9_999)).toBe("wait");
    expect(monitor.check(10_000)).toBe("lost");
  });

  it("counts any frame as an answer", () => {
    const monitor = new LivenessMonitor(10_000, 0);
    expect(monitor.check(5_000)).toBe("probe");
    monitor.heard(6_000);
    expect(monitor.check(10_000)).toBe("wait");
    expect(monitor.check(11_000)).toBe("probe");
  });
});

describe("credentials (PRS-RCN-6)", () => {
  const jwt = (claims: object) =>
    `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;

  it("reads a JWT's exp claim", () => {
    expect(jwtExpiryMillis(jwt({ exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
    expect(jwtExpiryMillis("not-a-jwt")).toBeUndefined();
    expect(jwtExpiryMillis(jwt({ sub: "a" }))).toBeUndefined();
  });

  it("refreshes at the expiry less min(30 s, a third of the lifetime)", () => {
    const wall = 1_700_000_000_000;
    const long = credentialsOf(jwt({ exp: wall / 1000 + 600 }), 0, wall);
    expect(refreshDelayMillis(long, 0)).toBe(570_000);
    const short = credentialsOf(jwt({ exp: wall / 1000 + 30 }), 0, wall);
    expect(refreshDelayMillis(short, 0)).toBe(20_000);
    expect(refreshDelayMillis(credentialsOf("opaque", 0, wall), 0)).toBeUndefined();
  });
});
