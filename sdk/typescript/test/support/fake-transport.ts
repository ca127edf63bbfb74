import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { CallEnd } from "../../src/errors.js";
import {
  ConnectResponseSchema, NullReason, type ConnectRequest,
} from "../../src/gen/presence/v1/presence_pb.js";
import type { Call, CallHandlers, Transport } from "../../src/transport/transport.js";
import type { PresenceState } from "../../src/state.js";

type ResponseInit = MessageInitShape<typeof ConnectResponseSchema>;

/** One call as the fake server sees it. */
export class FakeCall implements Call {
  readonly sent: ConnectRequest[] = [];
  finished = false;
  cancelled = false;
  ended = false;
  /** Answer the client's pings at once, as a live server does. */
  autoPong = false;

  constructor(readonly token: string | undefined, private readonly handlers: CallHandlers) {}

  send(frame: ConnectRequest): void {
    if (!this.ended) {
      this.sent.push(frame);
      if (this.autoPong && frame.frame.case === "ping") {
        const nonce = frame.frame.value.nonce;
        queueMicrotask(() => this.reply({ frame: { case: "pong", value: { nonce } } }));
      }
    }
  }

  finish(): void {
    this.finished = true;
  }

  cancel(): void {
    this.cancelled = true;
    queueMicrotask(() => this.end({ code: "CANCELLED" }));
  }

  /** The kinds of the frames the client sent, in order. */
  kinds(): string[] {
    return this.sent.map((f) => f.frame.case ?? "unknown");
  }

  /** The frames of one kind the client sent. */
  sentOf<K extends NonNullable<ConnectRequest["frame"]["case"]>>(kind: K):
    Extract<ConnectRequest["frame"], { case: K }>["value"][] {
    return this.sent.filter((f) => f.frame.case === kind).map((f) => f.frame.value as never);
  }

  /** The server sends a frame. */
  reply(frame: ResponseInit): void {
    this.handlers.frame(create(ConnectResponseSchema, frame));
  }

  opened(userId = "me", members: string[] = [userId], limits: Record<string, number> = {}): void {
    this.reply({ frame: { case: "opened", value: {
      sessionId: "s", self: { userId, displayName: userId }, protocolVersion: 1,
      limits: { throttleWindowMillis: 50, maxStateBytes: 8192, maxStateDepth: 32, leaveDetectionMillis: 10_000,
        maxSessionsPerUser: 16, maxOutboundFrameBytes: 262_144, ...limits },
      members: members.map((m) => ({ userId: m, displayName: `name-${m}` })),
    } } });
  }

  events(...events: Array<{ userId: string; state?: PresenceState; nullReason?: NullReason; tags?: string[] }>): void {
    this.reply({ frame: { case: "presence", value: { events: events.map((e) => ({
      userId: e.userId, state: e.state, nullReason: e.nullReason ?? (e.state ? NullReason.UNSPECIFIED : NullReason.LEFT),
      subscriptionIds: e.tags ?? [],
    })) } } });
  }

  snapshotComplete(subscriptionId: string, requestId: bigint): void {
    this.reply({ frame: { case: "snapshotComplete", value: { subscriptionId, requestId } } });
  }

  ack(requestId: bigint): void {
    this.reply({ frame: { case: "ack", value: { requestId } } });
  }

  /** The server ends the call. */
  end(end: Partial<CallEnd> & { code: CallEnd["code"] }): void {
    if (!this.ended) {
      this.ended = true;
      this.handlers.end({ reason: "", message: "", metadata: {}, ...end });
    }
  }

  /** The latest subscribe the client sent: its id and request id. */
  lastSubscribe(): { id: string; requestId: bigint } {
    const frame = [...this.sent].reverse().find((f) => f.frame.case === "subscribe");
    if (!frame || frame.frame.case !== "subscribe") {
      throw new Error("no subscribe sent");
    }
    return { id: frame.frame.value.subscriptionId, requestId: frame.requestId };
  }
}

/** A transport whose calls a test plays the server of. */
export class FakeTransport implements Transport {
  readonly calls: FakeCall[] = [];
  released = false;

  open(token: string | undefined, handlers: CallHandlers): Call {
    const call = new FakeCall(token, handlers);
    this.calls.push(call);
    return call;
  }

  reset(): void {}

  /** How many times the client asked for a new connection. */
  freshConnections = 0;

  fresh(): void {
    this.freshConnections++;
  }

  release(): void {
    this.released = true;
  }

  /** The latest call. */
  get last(): FakeCall {
    const call = this.calls[this.calls.length - 1];
    if (!call) {
      throw new Error("no call opened");
    }
    return call;
  }
}
