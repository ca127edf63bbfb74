import { describe, expect, it } from "vitest";
import { createClientWith } from "../../src/client.js";
import { Capability, NullReason } from "../../src/gen/presence/v1/presence_pb.js";
import type { PresenceError } from "../../src/errors.js";
import type { ClientOptions, ConnectionState, PresenceChange, PresenceClient } from "../../src/types.js";
import { FakeClock } from "../support/fake-clock.js";
import { FakeTransport, type FakeCall } from "../support/fake-transport.js";

interface Harness {
  client: PresenceClient;
  clock: FakeClock;
  transport: FakeTransport;
  states: Array<[ConnectionState, string | undefined]>;
}

function harness(options: Partial<ClientOptions> = {}): Harness {
  const clock = new FakeClock();
  const transport = new FakeTransport();
  const client = createClientWith({ target: "x", room: "room-1", clock, random: () => 0.5, ...options }, transport);
  const states: Harness["states"] = [];
  client.onConnectionState((s, cause) => states.push([s, cause?.reason || cause?.code]));
  return { client, clock, transport, states };
}

async function connected(options: Partial<ClientOptions> = {}, members?: string[]): Promise<Harness & { call: FakeCall }> {
  const h = harness(options);
  const connecting = h.client.connect();
  await h.clock.advance(0);
  const call = h.transport.last;
  call.opened("me", members ?? ["me"]);
  await connecting;
  return { ...h, call };
}

function recorder() {
  const changes: PresenceChange[] = [];
  return { changes, listener: (c: PresenceChange) => changes.push(c) };
}

describe("opening", () => {
  it("opens with the room, version 1, CAPABILITY_PING and CAPABILITY_DRAIN, and resolves on opened", async () => {
    const { client, call, states } = await connected({ token: "t1" });
    const open = call.sentOf("open")[0]!;
    expect(open.roomId).toBe("room-1");
    expect(open.protocolVersion).toBe(1);
    expect(open.capabilities).toEqual([Capability.PING, Capability.DRAIN]);
    expect(call.token).toBe("t1");
    expect(client.userId).toBe("me");
    expect(states).toEqual([["connecting", undefined], ["open", undefined]]);
  });

  it("refuses an invalid room id before connecting", () => {
    expect(() => harness({ room: "bad room" })).toThrowError(expect.objectContaining({ reason: "INVALID_ROOM_ID" }));
  });

  it("sends the development identity only when asked", async () => {
    const { call } = await connected({ userId: "ada", displayName: "Ada" });
    expect(call.sentOf("open")[0]).toMatchObject({ devUserId: "ada", devDisplayName: "Ada" });
  });

  it("rejects connect and closes on a fatal error that retrying cannot fix", async () => {
    const h = harness();
    const outcome = h.client.connect().catch((e: unknown) => e);
    await h.clock.advance(0);
    h.transport.last.end({ code: "PERMISSION_DENIED", reason: "ROOM_FORBIDDEN" });
    expect(await outcome).toMatchObject({ code: "PERMISSION_DENIED", reason: "ROOM_FORBIDDEN" });
    expect(h.states.at(-1)).toEqual(["closed", "ROOM_FORBIDDEN"]);
    await h.clock.advance(60_000);
    expect(h.transport.calls).toHaveLength(1);
  });

  it("retries UNAUTHENTICATED once with a new token, never with the same one (PRS-RCN-1)", async () => {
    const tokens = ["t1", "t2", "t2"];
    const h = harness({ token: () => tokens.shift() });
    const outcome = h.client.connect().catch((e: unknown) => e);
    await h.clock.advance(0);
    h.transport.last.end({ code: "UNAUTHENTICATED", reason: "UNAUTHENTICATED" });
    await h.clock.advance(0);
    expect(h.transport.calls.map((c) => c.token)).toEqual(["t1", "t2"]);
    h.transport.last.end({ code: "UNAUTHENTICATED", reason: "UNAUTHENTICATED" });
    await h.clock.advance(0);
    expect(await outcome).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(h.transport.calls).toHaveLength(2);
  });
});

describe("own state (SPEC §7.1)", () => {
  it("sends at once, then throttles to the advertised window with the latest state last", async () => {
    const { client, call, clock } = await connected();
    client.presence.update({ n: 1 });
    client.presence.update({ n: 2 });
    client.presence.update({ n: 3 });
    expect(call.sentOf("updateState").map((u) => u.state)).toEqual([{ n: 1 }]);
    expect(client.presence.getState()).toEqual({ n: 3 });
    await clock.advance(49);
    expect(call.sentOf("updateState")).toHaveLength(1);
    await clock.advance(1);
    expect(call.sentOf("updateState").map((u) => u.state)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it("uses the window the server advertises", async () => {
    const h = harness();
    const connecting = h.client.connect();
    await h.clock.advance(0);
    h.transport.last.opened("me", ["me"], { throttleWindowMillis: 200 });
    await connecting;
    h.client.presence.update({ n: 1 });
    h.client.presence.update({ n: 2 });
    await h.clock.advance(199);
    expect(h.transport.last.sentOf("updateState")).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.transport.last.sentOf("updateState")).toHaveLength(2);
  });

  it("sends a clear at once and drops the pending update (PRS-THC-4)", async () => {
    const { client, call, clock } = await connected();
    client.presence.update({ n: 1 });
    client.presence.update({ n: 2 });
    client.presence.clear();
    await clock.advance(100);
    expect(call.kinds().slice(1)).toEqual(["updateState", "clearState"]);
    expect(client.presence.getState()).toBeNull();
  });

  it("refuses a state the server would refuse, sending nothing (PRS-THC-6)", async () => {
    const { client, call } = await connected();
    expect(() => client.presence.update({ big: "x".repeat(9000) }))
      .toThrowError(expect.objectContaining({ reason: "STATE_TOO_LARGE" }));
    expect(() => client.presence.update({ n: NaN })).toThrowError(expect.objectContaining({ reason: "INVALID_STATE" }));
    expect(call.sentOf("updateState")).toHaveLength(0);
  });

  it("sends a state set before opened as soon as the session opens", async () => {
    const h = harness();
    h.client.presence.update({ early: true });
    const connecting = h.client.connect();
    await h.clock.advance(0);
    h.transport.last.opened();
    await connecting;
    expect(h.transport.last.sentOf("updateState").map((u) => u.state)).toEqual([{ early: true }]);
  });

  it("keeps a copy: changing the object after update changes nothing", async () => {
    const { client, call } = await connected();
    const state = { cursor: { x: 1 } };
    client.presence.update(state);
    state.cursor.x = 2;
    expect(client.presence.getState()).toEqual({ cursor: { x: 1 } });
    expect(call.sentOf("updateState")[0]!.state).toEqual({ cursor: { x: 1 } });
  });
});

describe("syncs (SPEC §8, §9)", () => {
  it("delivers the snapshot, then live events only after snapshot_complete (PRS-EVT-3)", async () => {
    const { client, call } = await connected({}, ["me", "ann", "bob"]);
    const { changes, listener } = recorder();
    client.presence.sync("*", listener);
    const sub = call.lastSubscribe();
    expect(call.sentOf("subscribe")[0]!.target?.kind.case).toBe("allUsers");
    call.events({ userId: "ann", state: { a: 1 }, tags: [sub.id] });
    call.events({ userId: "bob", state: { b: 1 } }); // live, before the target is confirmed
    expect(changes).toEqual([{ userId: "ann", state: { a: 1 } }]);
    call.snapshotComplete(sub.id, sub.requestId);
    call.events({ userId: "bob", state: { b: 2 } });
    expect(changes.at(-1)).toEqual({ userId: "bob", state: { b: 2 } });
    expect(client.presence.getStates()).toEqual(new Map([["ann", { a: 1 }], ["bob", { b: 2 }]]));
    expect(client.presence.getState("ann")).toEqual({ a: 1 });
  });

  it("never reports a null for a user it never reported (PRS-EVT-8)", async () => {
    const { client, call } = await connected();
    const { changes, listener } = recorder();
    client.presence.sync("*", listener);
    const sub = call.lastSubscribe();
    call.snapshotComplete(sub.id, sub.requestId);
    call.events({ userId: "ghost", nullReason: NullReason.LEFT });
    call.events({ userId: "ann", state: { a: 1 } }, { userId: "ann", nullReason: NullReason.CLEARED },
      { userId: "ann", nullReason: NullReason.LEFT });
    expect(changes).toEqual([{ userId: "ann", state: { a: 1 } }, { userId: "ann", state: null, reason: "CLEARED" }]);
  });

  it("treats an absent state as null whatever the reason, and an unknown reason as a null (PRS-EVT-2, EVO-4)", async () => {
    const { client, call } = await connected();
    const { changes, listener } = recorder();
    client.presence.sync("*", listener);
    const sub = call.lastSubscribe();
    call.snapshotComplete(sub.id, sub.requestId);
    call.events({ userId: "ann", state: { a: 1 } }, { userId: "ann", nullReason: 99 as NullReason });
    expect(changes.at(-1)).toEqual({ userId: "ann", state: null, reason: "UNKNOWN" });
  });

  it("routes a user target to that user only, and tagged events to the named subscription only (PRS-EVT-4)", async () => {
    const { client, call } = await connected();
    const ann = recorder();
    const all = recorder();
    client.presence.sync("ann", ann.listener);
    const annSub = call.lastSubscribe();
    client.presence.sync("*", all.listener);
    const allSub = call.lastSubscribe();
    call.snapshotComplete(annSub.id, annSub.requestId);
    call.snapshotComplete(allSub.id, allSub.requestId);
    call.events({ userId: "bob", state: { b: 1 } }, { userId: "ann", state: { a: 1 } });
    call.events({ userId: "cy", state: { c: 1 }, tags: [annSub.id] });
    expect(ann.changes.map((c) => c.userId)).toEqual(["ann", "cy"]);
    expect(all.changes.map((c) => c.userId)).toEqual(["bob", "ann"]);
  });

  it("ignores the snapshot_complete of an earlier subscribe for the same id", async () => {
    const { client, call } = await connected();
    const { changes, listener } = recorder();
    client.presence.sync("*", listener);
    const sub = call.lastSubscribe();
    call.snapshotComplete(sub.id, sub.requestId + 100n);
    call.events({ userId: "ann", state: { a: 1 } });
    expect(changes).toEqual([]);
  });

  it("unsync sends unsubscribe and stops callbacks at once", async () => {
    const { client, call } = await connected();
    const { changes, listener } = recorder();
    client.presence.sync("*", listener);
    const sub = call.lastSubscribe();
    call.snapshotComplete(sub.id, sub.requestId);
    call.events({ userId: "ann", state: { a: 1 } });
    client.presence.unsync();
    expect(call.sentOf("unsubscribe").map((u) => u.subscriptionId)).toEqual([sub.id]);
    call.events({ userId: "ann", nullReason: NullReason.OUT_OF_SCOPE, tags: [sub.id] });
    expect(changes).toHaveLength(1);
    expect(client.presence.getStates().size).toBe(0);
  });

  it("ends one sync with the function sync returns", async () => {
    const { client, call } = await connected();
    const a = recorder();
    const b = recorder();
    const endA = client.presence.sync("*", a.listener);
    const subA = call.lastSubscribe();
    client.presence.sync("*", b.listener);
    const subB = call.lastSubscribe();
    call.snapshotComplete(subA.id, subA.requestId);
    call.snapshotComplete(subB.id, subB.requestId);
    endA();
    call.events({ userId: "ann", state: { a: 1 } });
    expect(a.changes).toHaveLength(0);
    expect(b.changes).toHaveLength(1);
  });

  it("reports a refused sync as an error", async () => {
    const { client, call } = await connected();
    const errors: PresenceError[] = [];
    client.onError((e) => errors.push(e));
    client.presence.sync("*", () => {});
    const sub = call.lastSubscribe();
    call.reply({ frame: { case: "error", value: { reason: 3, message: "too many", requestId: sub.requestId, subscriptionId: sub.id } } });
    expect(errors.map((e) => e.reason)).toEqual(["TOO_MANY_SUBSCRIPTIONS"]);
  });

  it("lets a callback call back into the client", async () => {
    const { client, call } = await connected();
    const seen: string[] = [];
    client.presence.sync("*", ({ userId }) => {
      seen.push(userId);
      client.presence.unsync();
    });
    const sub = call.lastSubscribe();
    call.events({ userId: "ann", state: { a: 1 }, tags: [sub.id] }, { userId: "bob", state: { b: 1 }, tags: [sub.id] });
    expect(seen).toEqual(["ann"]);
  });
});

describe("follows (SPEC §10)", () => {
  it("routes 'following' live events only for follows the server acknowledged", async () => {
    const { client, call } = await connected({}, ["me", "ann"]);
    const { changes, listener } = recorder();
    client.presence.sync("following", listener);
    const sub = call.lastSubscribe();
    call.snapshotComplete(sub.id, sub.requestId);
    const following = client.users.all.get("ann")!.follow();
    const follow = call.sent.at(-1)!;
    expect(follow.frame.case).toBe("follow");
    expect(follow.requestId).not.toBe(0n);
    call.events({ userId: "ann", state: { a: 1 } }); // before the ack: not yet covered
    expect(changes).toHaveLength(0);
    call.events({ userId: "ann", state: { a: 2 }, tags: [sub.id] });
    call.ack(follow.requestId);
    await following;
    call.events({ userId: "ann", state: { a: 3 } });
    expect(changes.map((c) => c.state)).toEqual([{ a: 2 }, { a: 3 }]);
    expect(client.users.following.has("ann")).toBe(true);
    const unfollowing = client.users.all.get("ann")!.unfollow();
    call.events({ userId: "ann", nullReason: NullReason.OUT_OF_SCOPE, tags: [sub.id] });
    call.ack(call.sent.at(-1)!.requestId);
    await unfollowing;
    expect(changes.at(-1)).toEqual({ userId: "ann", state: null, reason: "OUT_OF_SCOPE" });
  });

  it("rejects a follow the server refuses", async () => {
    const { client, call } = await connected();
    const following = client.users.follow("zed");
    call.reply({ frame: { case: "error", value: { reason: 8, message: "too many", requestId: call.sent.at(-1)!.requestId } } });
    await expect(following).rejects.toMatchObject({ reason: "TOO_MANY_FOLLOWS", code: "" });
  });
});

describe("members (SPEC §11)", () => {
  it("keeps users.all from opened and member frames, and tells listeners", async () => {
    const h = harness();
    const seen: Array<[string, boolean, string | undefined]> = [];
    h.client.users.onMembers((id, joined, reason) => seen.push([id, joined, reason]));
    const connecting = h.client.connect();
    await h.clock.advance(0);
    h.transport.last.opened("me", ["me", "ann"]);
    await connecting;
    h.transport.last.reply({ frame: { case: "memberJoined", value: { user: { userId: "bob", displayName: "Bob" } } } });
    h.transport.last.reply({ frame: { case: "memberLeft", value: { userId: "ann", reason: NullReason.TIMED_OUT } } });
    expect([...h.client.users.all.keys()]).toEqual(["me", "bob"]);
    expect(h.client.users.all.get("bob")?.name).toBe("Bob");
    expect(seen).toEqual([["me", true, undefined], ["ann", true, undefined], ["bob", true, undefined], ["ann", false, "TIMED_OUT"]]);
  });
});

describe("liveness and tolerance", () => {
  it("answers a ping at once, even while an update waits for the window (PRS-LIV-5)", async () => {
    const { client, call } = await connected();
    client.presence.update({ n: 1 });
    client.presence.update({ n: 2 });
    call.reply({ frame: { case: "ping", value: { nonce: 18446744073709551615n } } });
    expect(call.sentOf("pong").map((p) => p.nonce)).toEqual([18446744073709551615n]);
  });

  it("ignores frames of kinds it does not know (PRS-EVO-3)", async () => {
    const { client, call } = await connected();
    const { changes, listener } = recorder();
    client.presence.sync("*", listener);
    call.reply({});
    expect(client.connectionState).toBe("open");
    expect(changes).toEqual([]);
  });

  it("probes a silent server and reconnects when the probe goes unanswered (PRS-LIV-9)", async () => {
    const { call, clock, transport } = await connected();
    await clock.advance(5_000);
    expect(call.sentOf("ping")).toHaveLength(1);
    await clock.advance(5_000);
    expect(call.cancelled).toBe(true);
    await clock.advance(300);
    expect(transport.calls).toHaveLength(2);
  });
});

describe("reconnect (SPEC §15)", () => {
  it("reopens with backoff and jitter, restores state, follows, then syncs, and reports only the differences", async () => {
    const { client, call, clock, transport, states } = await connected({}, ["me", "ann", "bob", "cy"]);
    const { changes, listener } = recorder();
    const members: Array<[string, boolean, string | undefined]> = [];
    client.users.onMembers((id, joined, reason) => members.push([id, joined, reason]));
    client.presence.update({ mine: 1 });
    const following = client.users.follow("ann");
    call.ack(call.sent.at(-1)!.requestId);
    await following;
    client.presence.sync("*", listener);
    const sub = call.lastSubscribe();
    call.events({ userId: "ann", state: { a: 1 }, tags: [sub.id] }, { userId: "bob", state: { b: 1 }, tags: [sub.id] },
      { userId: "cy", state: { c: 1 }, tags: [sub.id] });
    call.snapshotComplete(sub.id, sub.requestId);
    changes.length = 0;

    call.end({ code: "UNAVAILABLE" });
    await clock.advance(0);
    expect(states.at(-1)).toEqual(["reconnecting", "UNAVAILABLE"]);
    expect(transport.calls).toHaveLength(1);
    await clock.advance(125); // random 0.5 of the first bound, 250 ms
    expect(transport.calls).toHaveLength(2);
    const next = transport.last;
    next.opened("me", ["me", "ann", "bob"]);
    expect(next.kinds()).toEqual(["open", "updateState", "follow", "subscribe"]);
    const resub = next.lastSubscribe();
    expect(resub.id).toBe(sub.id);
    next.events({ userId: "ann", state: { a: 1 }, tags: [sub.id] }, { userId: "bob", state: { b: 2 }, tags: [sub.id] });
    next.ack(next.sentOf("follow").length ? next.sent[2]!.requestId : 0n);
    next.snapshotComplete(resub.id, resub.requestId);
    expect(changes).toEqual([{ userId: "bob", state: { b: 2 } }, { userId: "cy", state: null, reason: "LEFT" }]);
    expect(members).toEqual([["cy", false, "LEFT"]]);
    expect(states.at(-1)).toEqual(["open", undefined]);
  });

  it("reports CLEARED for a user still in the room but absent from the new snapshot (PRS-RCN-2)", async () => {
    const { client, call, clock, transport } = await connected({}, ["me", "ann"]);
    const { changes, listener } = recorder();
    client.presence.sync("*", listener);
    const sub = call.lastSubscribe();
    call.events({ userId: "ann", state: { a: 1 }, tags: [sub.id] });
    call.snapshotComplete(sub.id, sub.requestId);
    call.end({ code: "UNAVAILABLE" });
    await clock.advance(300);
    transport.last.opened("me", ["me", "ann"]);
    const resub = transport.last.lastSubscribe();
    transport.last.snapshotComplete(resub.id, resub.requestId);
    expect(changes.at(-1)).toEqual({ userId: "ann", state: null, reason: "CLEARED" });
  });

  it("reopens at once and quietly after CREDENTIALS_EXPIRED (PRS-RCN-7)", async () => {
    const { call, clock, transport, states } = await connected({ token: () => "fresh" });
    call.end({ code: "UNAUTHENTICATED", reason: "CREDENTIALS_EXPIRED" });
    await clock.advance(0);
    expect(transport.calls).toHaveLength(2);
    transport.last.opened();
    expect(states.map((s) => s[0])).toEqual(["connecting", "open"]);
  });

  it("stops without reconnecting after its own close, leaving the room", async () => {
    const { client, call, clock, transport, states } = await connected();
    const closing = client.close();
    expect(call.kinds().at(-1)).toBe("leave");
    expect(call.finished).toBe(true);
    call.end({ code: "OK" });
    await closing;
    await clock.advance(60_000);
    expect(transport.calls).toHaveLength(1);
    expect(transport.released).toBe(true);
    expect(states.at(-1)).toEqual(["closed", undefined]);
  });
});

describe("credential refresh (PRS-RCN-6)", () => {
  const jwt = (expSeconds: number) =>
    `e30.${Buffer.from(JSON.stringify({ exp: expSeconds })).toString("base64url")}.c2ln`;

  it("opens a second session before expiry, moves to it without a flash, then leaves the first", async () => {
    const expiry = () => jwt(Math.floor(Date.now() / 1000) + 90);
    const { client, call, clock, transport, states } = await connected({ token: expiry }, ["me", "ann"]);
    const { changes, listener } = recorder();
    client.presence.update({ mine: 1 });
    client.presence.sync("*", listener);
    const sub = call.lastSubscribe();
    call.events({ userId: "ann", state: { a: 1 }, tags: [sub.id] });
    call.snapshotComplete(sub.id, sub.requestId);
    changes.length = 0;
    call.autoPong = true;

    await clock.advance(58_000);
    expect(transport.calls).toHaveLength(1);
    await clock.advance(3_000);
    expect(transport.calls).toHaveLength(2);
    const next = transport.last;
    expect(call.finished).toBe(false);
    next.opened("me", ["me", "ann"]);
    expect(next.kinds()).toEqual(["open", "updateState", "subscribe", "ping"]);
    const resub = next.lastSubscribe();
    next.events({ userId: "ann", state: { a: 1 }, tags: [resub.id] });
    next.snapshotComplete(resub.id, resub.requestId);
    expect(call.kinds().at(-1)).not.toBe("leave");
    next.reply({ frame: { case: "pong", value: { nonce: next.sentOf("ping")[0]!.nonce } } });
    expect(call.kinds().at(-1)).toBe("leave");
    expect(changes).toEqual([]);
    expect(states.map((s) => s[0])).toEqual(["connecting", "open"]);
  });

  it("leaves first and then opens when the server allows one session per user", async () => {
    const expiry = () => jwt(Math.floor(Date.now() / 1000) + 90);
    const h = harness({ token: expiry });
    const connecting = h.client.connect();
    await h.clock.advance(0);
    const call = h.transport.last;
    call.autoPong = true;
    call.opened("me", ["me"], { maxSessionsPerUser: 1 });
    await connecting;
    await h.clock.advance(61_000);
    expect(call.kinds().at(-1)).toBe("leave");
    expect(h.transport.calls).toHaveLength(1);
    call.end({ code: "OK" });
    await h.clock.advance(0);
    expect(h.transport.calls).toHaveLength(2);
    expect(h.states.map((s) => s[0])).toEqual(["connecting", "open"]);
  });
});

describe("TOO_MANY_SESSIONS (PRS-RCN-5)", () => {
  it("keeps retrying with backoff", async () => {
    const { call, clock, transport, states } = await connected();
    call.end({ code: "UNAVAILABLE" });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const count = transport.calls.length;
      const from = clock.now();
      while (transport.calls.length === count) {
        await clock.advance(1);
      }
      waits.push(clock.now() - from);
      transport.last.end({ code: "RESOURCE_EXHAUSTED", reason: "TOO_MANY_SESSIONS" });
    }
    // random() is 0.5: half of each bound, 250 ms × 2ⁿ.
    expect(waits).toEqual([125, 250, 500, 1000, 2000, 4000]);
    expect(states.map((s) => s[0])).not.toContain("closed");
  });
});

describe("draining (PRS-DRN-6 to PRS-DRN-9)", () => {
  /** A connected client with a state and a complete '*' snapshot holding ann; the recorder starts empty. */
  async function withEverything() {
    const h = await connected({}, ["me", "ann"]);
    const rec = recorder();
    h.client.presence.update({ mine: 1 });
    h.client.presence.sync("*", rec.listener);
    const sub = h.call.lastSubscribe();
    h.call.events({ userId: "ann", state: { a: 1 }, tags: [sub.id] });
    h.call.snapshotComplete(sub.id, sub.requestId);
    rec.changes.length = 0;
    return { ...h, ...rec };
  }

  const draining = (call: FakeCall, deadlineMillis: bigint) =>
    call.reply({ frame: { case: "draining", value: { deadlineMillis } } });

  /** Opens the move's session, checks its restore, answers it with ann's state, and returns the switch's ping. */
  function openAndRestore(next: FakeCall, ann: Record<string, number>, drainingAfterOpened?: bigint): bigint {
    next.opened("me", ["me", "ann"]);
    if (drainingAfterOpened !== undefined) {
      draining(next, drainingAfterOpened);
    }
    expect(next.kinds()).toEqual(["open", "updateState", "subscribe", "ping"]);
    const resub = next.lastSubscribe();
    next.events({ userId: "ann", state: ann, tags: [resub.id] });
    next.snapshotComplete(resub.id, resub.requestId);
    return next.sentOf("ping")[0]!.nonce;
  }

  it("moves to a new session on a new connection and leaves the old one only after its answer, unseen", async () => {
    const { call, transport, changes, states } = await withEverything();
    draining(call, 5_000n);
    expect(transport.calls).toHaveLength(2);
    expect(transport.freshConnections).toBe(1);
    const next = transport.last;
    const nonce = openAndRestore(next, { a: 1 });
    expect(call.kinds().at(-1)).not.toBe("leave");
    next.reply({ frame: { case: "pong", value: { nonce } } });
    expect(call.kinds().at(-1)).toBe("leave");
    expect(changes).toEqual([]);
    expect(states.map((s) => s[0])).toEqual(["connecting", "open"]);
  });

  it("reports what changed during the move once, and no null", async () => {
    const { call, transport, changes } = await withEverything();
    draining(call, 5_000n);
    const next = transport.last;
    const nonce = openAndRestore(next, { a: 2 });
    next.reply({ frame: { case: "pong", value: { nonce } } });
    await Promise.resolve();
    expect(changes).toEqual([{ userId: "ann", state: { a: 2 } }]);
  });

  it("does not move a session whose server was draining when it opened it", async () => {
    const { call, clock, transport, states } = await withEverything();
    draining(call, 60_000n);
    draining(call, 60_000n);
    expect(transport.calls).toHaveLength(2);
    const next = transport.last;
    const nonce = openAndRestore(next, { a: 1 }, 59_000n);
    next.reply({ frame: { case: "pong", value: { nonce } } });
    expect(transport.calls).toHaveLength(2);
    // The server ends the session at its deadline: an ordinary reconnect, at once (§14.1).
    next.end({ code: "UNAVAILABLE", reason: "SHUTTING_DOWN" });
    await clock.advance(0);
    expect(transport.calls).toHaveLength(3);
    expect(states.map((s) => s[0])).toContain("reconnecting");
  });

  it("moves again when a later draining comes, however soon after the last move (a rolling restart)", async () => {
    const { call, transport, changes, states } = await withEverything();
    draining(call, 60_000n);
    const next = transport.last;
    const nonce = openAndRestore(next, { a: 1 });
    next.reply({ frame: { case: "pong", value: { nonce } } });
    expect(call.kinds().at(-1)).toBe("leave");
    draining(next, 60_000n);
    expect(transport.calls).toHaveLength(3);
    const third = transport.last;
    const again = openAndRestore(third, { a: 1 });
    third.reply({ frame: { case: "pong", value: { nonce: again } } });
    expect(next.kinds().at(-1)).toBe("leave");
    expect(changes).toEqual([]);
    expect(states.map((s) => s[0])).toEqual(["connecting", "open"]);
  });

  it("keeps the old session when the new one fails, and tells the application nothing", async () => {
    const { call, transport, changes, states } = await withEverything();
    draining(call, 5_000n);
    transport.last.end({ code: "RESOURCE_EXHAUSTED", reason: "TOO_MANY_SESSIONS" });
    expect(call.kinds()).not.toContain("leave");
    call.events({ userId: "ann", state: { a: 3 } });
    await Promise.resolve();
    expect(changes).toEqual([{ userId: "ann", state: { a: 3 } }]);
    expect(states.map((s) => s[0])).toEqual(["connecting", "open"]);
    expect(transport.calls).toHaveLength(2);
  });
});

describe("logging", () => {
  it("reports a callback that threw to the logger it was given, never to the console, and goes on", async () => {
    const lines: Array<[string, string, unknown]> = [];
    const logger = {
      warn: (message: string, cause?: unknown) => lines.push(["warn", message, cause]),
      error: (message: string, cause?: unknown) => lines.push(["error", message, cause]),
    };
    const consoleCalls: unknown[] = [];
    const saved = { warn: console.warn, error: console.error };
    console.warn = (...args: unknown[]) => consoleCalls.push(args);
    console.error = (...args: unknown[]) => consoleCalls.push(args);
    try {
      const { client, call } = await connected({ logger });
      const boom = new Error("boom");
      const { changes, listener } = recorder();
      client.presence.sync("*", () => {
        throw boom;
      });
      const first = call.lastSubscribe();
      client.presence.sync("*", listener);
      for (const sub of [first, call.lastSubscribe()]) {
        call.snapshotComplete(sub.id, sub.requestId);
      }
      call.events({ userId: "ann", state: { a: 1 } });

      expect(lines).toEqual([["error", "presence: an application callback threw", boom]]);
      expect(changes).toEqual([{ userId: "ann", state: { a: 1 } }]);
      expect(consoleCalls).toEqual([]);
    } finally {
      console.warn = saved.warn;
      console.error = saved.error;
    }
  });
});
