/**
 * The conformance kit's client mode (conformance/SDK.md) for @presence/sdk over gRPC: reads `Command`s from stdin,
 * calls the SDK, and writes `Report`s to stdout, each framed by a 4-byte big-endian length. Logs go to stderr.
 *
 *   java -jar conformance/target/presence-conformance.jar --client 'node sdk/typescript/dist/conformance/adapter.js'
 */
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient, PresenceError, SDK_VERSION, type PresenceClient, type Unsubscribe } from "../src/grpc.js";
import {
  CommandSchema, ConnectionState as WireConnectionState, ReportSchema, type Command,
} from "./gen/presence/conformance/v1/client_adapter_pb.js";

type ReportKind = MessageInitShape<typeof ReportSchema>["kind"];
type FailureInit = { code: string; reason: string; message: string };

/** A Connect token with this prefix claims a development identity instead of being sent as a bearer token. */
const DEV_TOKEN_PREFIX = "dev:";

const CONNECTION_STATES = {
  connecting: WireConnectionState.CONNECTING,
  open: WireConnectionState.OPEN,
  reconnecting: WireConnectionState.RECONNECTING,
  closed: WireConnectionState.CLOSED,
} as const;

function write(kind: ReportKind): void {
  const bytes = toBinary(ReportSchema, create(ReportSchema, { kind }));
  const frame = Buffer.alloc(4 + bytes.length);
  frame.writeUInt32BE(bytes.length, 0);
  frame.set(bytes, 4);
  process.stdout.write(frame); // One write per frame: Node never interleaves them.
}

function failure(e: unknown): FailureInit {
  if (e instanceof PresenceError) {
    const known = /^[A-Z_]+$/.test(e.reason) && !["CLIENT_CLOSED", "UNKNOWN"].includes(e.reason);
    return { code: e.code, reason: known ? e.reason : "", message: e.message };
  }
  return { code: "", reason: "", message: e instanceof Error ? e.message : String(e) };
}

/** What the application's token source returns: the list in order, then its last entry forever. */
class TokenList {
  private tokens: string[] = [];
  private used = 0;

  replace(tokens: string[]): void {
    this.tokens = tokens;
    this.used = 0;
  }

  next(): string | undefined {
    if (this.tokens.length === 0) {
      return undefined;
    }
    return this.tokens[Math.min(this.used++, this.tokens.length - 1)];
  }
}

const tokens = new TokenList();
const syncs = new Map<string, Unsubscribe>();
let client: PresenceClient | undefined;

function connect(target: string, room: string, given: string[]): Promise<void> {
  if (client) {
    throw new Error("already connected");
  }
  let devUserId: string | undefined;
  if (given[0]?.startsWith(DEV_TOKEN_PREFIX)) {
    devUserId = given[0].slice(DEV_TOKEN_PREFIX.length);
    given = given.slice(1);
  }
  tokens.replace(given);
  const c = createClient({
    target, room, token: () => tokens.next(), userId: devUserId, displayName: devUserId,
  });
  client = c;
  c.onConnectionState((state, cause) =>
    write({ case: "connection", value: { state: CONNECTION_STATES[state], cause: cause && failure(cause) } }));
  c.users.onMembers((userId, joined, reason) =>
    write({ case: "member", value: { userId, joined, reason: reason === undefined || reason === "UNKNOWN" ? "" : reason } }));
  c.onError((e) => write({ case: "error", value: failure(e) }));
  return c.connect();
}

async function run(command: Command): Promise<MessageInitShape<typeof ReportSchema>["kind"] & { case: "result" }> {
  const id = command.id;
  const ok = { case: "result" as const, value: { id } };
  const action = command.action;
  if (action.case === "connect") {
    await connect(action.value.target, action.value.roomId, [...action.value.tokens]);
    return ok;
  }
  if (action.case === "setTokens") {
    tokens.replace([...action.value.tokens]);
    return ok;
  }
  if (!client) {
    throw new Error("not connected");
  }
  const presence = client.presence;
  switch (action.case) {
    case "update":
      presence.update(action.value.state ?? {});
      return ok;
    case "clear":
      presence.clear();
      return ok;
    case "sync": {
      const name = action.value.sync;
      const t = action.value.target;
      if (t.case === undefined) {
        throw new Error("sync without a target");
      }
      if (syncs.has(name)) {
        throw new Error("sync name already in use");
      }
      const target = t.case === "userId" ? t.value : t.case === "followedUsers" ? "following" : "*";
      syncs.set(name, presence.sync(target, ({ userId, state, reason }) => write({
        case: "change",
        value: state === null
          ? { sync: name, userId, nullReason: reason === undefined || reason === "UNKNOWN" ? "" : reason }
          : { sync: name, userId, state },
      })));
      return ok;
    }
    case "unsync": {
      const name = action.value.sync;
      if (name === "") {
        presence.unsync();
        syncs.clear();
        return ok;
      }
      const end = syncs.get(name);
      if (!end) {
        throw new Error("unknown sync");
      }
      syncs.delete(name);
      end();
      return ok;
    }
    case "getStates":
      return { case: "result", value: { id, value: { case: "states", value: { states: Object.fromEntries(presence.getStates()) } } } };
    case "getState": {
      const userId = action.value.userId;
      const state = userId === "" ? presence.getState() : presence.getState(userId);
      return { case: "result", value: { id, value: { case: "state", value: { state: state ?? undefined } } } };
    }
    case "follow":
      await (client.users.all.get(action.value.userId)?.follow() ?? client.users.follow(action.value.userId));
      return ok;
    case "unfollow":
      await (client.users.all.get(action.value.userId)?.unfollow() ?? client.users.unfollow(action.value.userId));
      return ok;
    case "close": {
      const closing = client;
      client = undefined;
      syncs.clear();
      await closing.close();
      return ok;
    }
    default:
      throw new Error("unsupported command");
  }
}

function dispatch(command: Command): void {
  // By kind only: a command may carry a presence state, which must never reach a log (PRS-PRV-1).
  process.stderr.write(`command ${command.id}: ${command.action.case ?? "none"}\n`);
  let answer: Promise<MessageInitShape<typeof ReportSchema>["kind"]>;
  try {
    answer = run(command);
  } catch (e) {
    answer = Promise.reject(e);
  }
  answer.then(write, (e: unknown) => {
    process.stderr.write(`command ${command.id} failed: ${e instanceof PresenceError ? `${e.code} ${e.reason}` : "error"}\n`);
    write({ case: "result", value: { id: command.id, failure: failure(e) } });
  });
}

write({ case: "hello", value: { sdk: "@presence/sdk", version: SDK_VERSION, language: "TypeScript", unsupported: [] } });

let pending = Buffer.alloc(0);
process.stdin.on("data", (chunk: Buffer) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
    const length = pending.readUInt32BE(0);
    const command = fromBinary(CommandSchema, pending.subarray(4, 4 + length));
    pending = pending.subarray(4 + length);
    dispatch(command);
  }
});
process.stdin.on("end", () => {
  const closing = client?.close() ?? Promise.resolve();
  closing.finally(() => process.exit(0));
});
