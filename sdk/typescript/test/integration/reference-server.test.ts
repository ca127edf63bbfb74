import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient as createGrpcClient } from "../../src/grpc.js";
import { createClient as createWebSocketClient } from "../../src/node.js";
import type { ClientOptions, PresenceChange, PresenceClient } from "../../src/types.js";
import { serverJarBuilt, startReferenceServer, type RunningServer } from "../support/reference-server.js";

const DEADLINE = { timeout: 5_000, interval: 20 };
// CI builds the jar first; elsewhere the tests are skipped without it, and say so.
const run = serverJarBuilt || process.env["CI"] ? describe : describe.skip;
if (!serverJarBuilt) {
  console.warn("reference-server/target/presence-server.jar is missing: build it to run the integration tests");
}

let server: RunningServer;
const clients: PresenceClient[] = [];
let roomNumber = 0;

beforeAll(async () => {
  if (serverJarBuilt || process.env["CI"]) {
    server = await startReferenceServer();
  }
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

type Binding = "websocket" | "grpc";

function client(binding: Binding, room: string, userId: string): PresenceClient {
  const options: ClientOptions = { room, userId, displayName: `${userId} name`,
    target: binding === "grpc" ? server.grpcTarget : server.wsUrl };
  const c = binding === "grpc" ? createGrpcClient(options) : createWebSocketClient(options);
  clients.push(c);
  return c;
}

function recorder() {
  const changes: PresenceChange[] = [];
  return { changes, listener: (c: PresenceChange) => changes.push(c) };
}

const lastOf = (changes: PresenceChange[], userId: string) => changes.filter((c) => c.userId === userId).at(-1);

run.each<[Binding, Binding]>([["websocket", "websocket"], ["grpc", "grpc"], ["websocket", "grpc"]])(
  "against the reference server (%s and %s)", (first, second) => {
    const room = () => `ts-sdk-${process.pid}-${++roomNumber}`;

    it("two clients in one room see each other's states, and a leave gives a null", async () => {
      const r = room();
      const ann = client(first, r, "ann");
      const bob = client(second, r, "bob");
      await Promise.all([ann.connect(), bob.connect()]);
      expect(ann.userId).toBe("ann");
      const seenByAnn = recorder();
      const seenByBob = recorder();
      ann.presence.sync("*", seenByAnn.listener);
      bob.presence.sync("*", seenByBob.listener);
      ann.presence.update({ cursor: { x: 1, y: 2 } });
      bob.presence.update({ cursor: { x: 3, y: 4 } });
      await expect.poll(() => lastOf(seenByBob.changes, "ann")?.state, DEADLINE).toEqual({ cursor: { x: 1, y: 2 } });
      await expect.poll(() => lastOf(seenByAnn.changes, "bob")?.state, DEADLINE).toEqual({ cursor: { x: 3, y: 4 } });
      expect(ann.presence.getState("bob")).toEqual({ cursor: { x: 3, y: 4 } });
      expect(ann.users.all.get("bob")?.name).toBe("bob name");

      await bob.close();
      await expect.poll(() => lastOf(seenByAnn.changes, "bob"), DEADLINE).toEqual({ userId: "bob", state: null, reason: "LEFT" });
      expect(ann.presence.getState("bob")).toBeNull();
      expect(seenByAnn.changes.filter((c) => c.userId === "bob" && c.state === null)).toHaveLength(1);
    });

    it("follow feeds the 'following' sync, and unfollow ends it", async () => {
      const r = room();
      const ann = client(first, r, "ann");
      const bob = client(second, r, "bob");
      const cy = client(second, r, "cy");
      await Promise.all([ann.connect(), bob.connect(), cy.connect()]);
      bob.presence.update({ at: "bob" });
      cy.presence.update({ at: "cy" });
      const followed = recorder();
      ann.presence.sync("following", followed.listener);
      await expect.poll(() => ann.users.all.has("bob"), DEADLINE).toBe(true);
      await ann.users.all.get("bob")!.follow();
      await expect.poll(() => lastOf(followed.changes, "bob")?.state, DEADLINE).toEqual({ at: "bob" });
      bob.presence.update({ at: "bob", moved: true });
      await expect.poll(() => lastOf(followed.changes, "bob")?.state, DEADLINE).toEqual({ at: "bob", moved: true });
      await ann.users.all.get("bob")!.unfollow();
      await expect.poll(() => lastOf(followed.changes, "bob"), DEADLINE)
        .toEqual({ userId: "bob", state: null, reason: "OUT_OF_SCOPE" });
      expect(followed.changes.some((c) => c.userId === "cy")).toBe(false);
    });

    it("reports a clear as a null with reason CLEARED, and the throttle sends the latest state", async () => {
      const r = room();
      const ann = client(first, r, "ann");
      const bob = client(second, r, "bob");
      await Promise.all([ann.connect(), bob.connect()]);
      const seen = recorder();
      bob.presence.sync("ann", seen.listener);
      for (let i = 0; i <= 20; i++) {
        ann.presence.update({ i });
      }
      await expect.poll(() => lastOf(seen.changes, "ann")?.state, DEADLINE).toEqual({ i: 20 });
      ann.presence.clear();
      await expect.poll(() => lastOf(seen.changes, "ann"), DEADLINE).toEqual({ userId: "ann", state: null, reason: "CLEARED" });
    });
  });

run("the WebSocket binding's errors", () => {
  it("reads a handshake refused with 404 as UNIMPLEMENTED and stops (PRS-WS-11)", async () => {
    const c = createWebSocketClient({ room: "room", userId: "ann", target: server.wsUrl.replace("/presence.v1", "/presence.v9") });
    clients.push(c);
    await expect(c.connect()).rejects.toMatchObject({ code: "UNIMPLEMENTED" });
    expect(c.connectionState).toBe("closed");
  });

  it("takes host:port and adds the path /presence.v1 (PRS-WS-1)", async () => {
    const c = createWebSocketClient({ room: "room", userId: "ann", target: server.wsUrl.replace(/^ws:\/\/|\/presence\.v1$/g, "") });
    clients.push(c);
    await c.connect();
    expect(c.userId).toBe("ann");
  });
});

run.each<Binding>(["websocket", "grpc"])("across a server restart (%s)", (binding) => {
  it("reconnects, restores its state and sync, and reports a null for a user who did not come back", async () => {
    const first = await startReferenceServer();
    const [grpcPort, wsPort] = [first.grpcTarget.split(":")[1]!, new URL(first.wsUrl).port];
    const target = binding === "grpc" ? first.grpcTarget : first.wsUrl;
    const make = (userId: string) => {
      const options: ClientOptions = { room: "restart", userId, target };
      const c = binding === "grpc" ? createGrpcClient(options) : createWebSocketClient(options);
      clients.push(c);
      return c;
    };
    let second: RunningServer | undefined;
    try {
      const ann = make("ann");
      const bob = make("bob");
      const cy = make("cy");
      await Promise.all([ann.connect(), bob.connect(), cy.connect()]);
      const seen = recorder();
      ann.presence.sync("*", seen.listener);
      bob.presence.update({ who: "bob" });
      cy.presence.update({ who: "cy" });
      await expect.poll(() => [lastOf(seen.changes, "bob")?.state, lastOf(seen.changes, "cy")?.state], DEADLINE)
        .toEqual([{ who: "bob" }, { who: "cy" }]);
      const before = seen.changes.length;
      await first.stop();
      await cy.close(); // cy never comes back
      second = await startReferenceServer({ grpc: grpcPort, ws: wsPort });
      await expect.poll(() => lastOf(seen.changes, "cy"), { timeout: 40_000, interval: 50 })
        .toEqual({ userId: "cy", state: null, reason: "LEFT" });
      await expect.poll(() => ann.connectionState, { timeout: 40_000, interval: 50 }).toBe("open");
      await expect.poll(() => bob.connectionState, { timeout: 40_000, interval: 50 }).toBe("open");
      // bob restores his state on the new server (ann may see him vanish and return meanwhile); cy is no ghost.
      await expect.poll(() => lastOf(seen.changes, "bob")?.state, { timeout: 40_000, interval: 50 }).toEqual({ who: "bob" });
      expect([...ann.presence.getStates().keys()].sort()).toEqual(["bob"]);
      expect(seen.changes.slice(before).filter((c) => c.userId === "cy")).toEqual([{ userId: "cy", state: null, reason: "LEFT" }]);
    } finally {
      await second?.stop();
      await first.stop();
    }
  }, 90_000);
});

run.each<Binding>(["websocket", "grpc"])("while the server drains (%s)", (binding) => {
  it("moves both sessions to new ones and leaves the old ones, with no null and no closed state (PRS-DRN-6, PRS-DRN-7)", async () => {
    const draining = await startReferenceServer(undefined, undefined, 8_000);
    const target = binding === "grpc" ? draining.grpcTarget : draining.wsUrl;
    const make = (userId: string) => {
      const options: ClientOptions = { room: "drain", userId, target };
      const c = binding === "grpc" ? createGrpcClient(options) : createWebSocketClient(options);
      clients.push(c);
      return c;
    };
    try {
      const ann = make("ann");
      const bob = make("bob");
      await Promise.all([ann.connect(), bob.connect()]);
      const states: string[] = [];
      ann.onConnectionState((s) => states.push(`ann:${s}`));
      bob.onConnectionState((s) => states.push(`bob:${s}`));
      const seen = recorder();
      ann.presence.sync("*", seen.listener);
      bob.presence.update({ who: "bob" });
      await expect.poll(() => lastOf(seen.changes, "bob")?.state, DEADLINE).toEqual({ who: "bob" });
      const opened = (draining.output().match(/event=session_opened/g) ?? []).length;
      const left = () => (draining.output().match(/event=session_ended [^\n]*how=leave/g) ?? []).length;

      draining.terminate();
      // The only server is the draining one, so both move onto it: two new sessions, then a leave on each old one.
      await expect.poll(() => left(), { timeout: 6_000, interval: 20 }).toBe(2);
      expect((draining.output().match(/event=session_opened/g) ?? []).length).toBe(opened + 2);
      expect(seen.changes.filter((c) => c.state === null)).toEqual([]);
      expect(states).toEqual([]);
      expect(lastOf(seen.changes, "bob")?.state).toEqual({ who: "bob" });
    } finally {
      await draining.stop();
    }
  }, 60_000);
});
