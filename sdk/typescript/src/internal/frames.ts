import { create } from "@bufbuild/protobuf";
import {
  Capability, ConnectRequestSchema, ErrorReason, NullReason as WireNullReason,
  type ConnectRequest,
} from "../gen/presence/v1/presence_pb.js";
import type { PresenceState } from "../state.js";
import type { NullReason } from "../types.js";

/** How a subscription selects users, as the wire says it. */
export type WireTarget = { kind: "all" } | { kind: "following" } | { kind: "user"; userId: string };

/** Settings of the `open` frame. */
export interface OpenSettings {
  readonly room: string;
  readonly devUserId?: string | undefined;
  readonly devDisplayName?: string | undefined;
  readonly clientAgent: string;
}

/** The `open` frame: protocol version 1, with `CAPABILITY_PING` (PRS-LIV-5) and `CAPABILITY_DRAIN` (PRS-DRN-6). */
export function openFrame(settings: OpenSettings): ConnectRequest {
  return create(ConnectRequestSchema, {
    frame: {
      case: "open",
      value: {
        roomId: settings.room,
        protocolVersion: 1,
        capabilities: [Capability.PING, Capability.DRAIN],
        devUserId: settings.devUserId ?? "",
        devDisplayName: settings.devUserId === undefined ? "" : (settings.devDisplayName ?? ""),
        clientAgent: settings.clientAgent,
      },
    },
  });
}

/** `update_state` with the whole state (PRS-STA-1). */
export function updateStateFrame(state: PresenceState): ConnectRequest {
  return create(ConnectRequestSchema, { frame: { case: "updateState", value: { state } } });
}

/** `clear_state` (PRS-STA-4). */
export function clearStateFrame(): ConnectRequest {
  return create(ConnectRequestSchema, { frame: { case: "clearState", value: {} } });
}

/** `subscribe` for a subscription id and target, with a request id for its `snapshot_complete`. */
export function subscribeFrame(requestId: bigint, subscriptionId: string, target: WireTarget): ConnectRequest {
  const kind = target.kind === "all" ? { case: "allUsers" as const, value: {} }
    : target.kind === "following" ? { case: "followedUsers" as const, value: {} }
    : { case: "userId" as const, value: target.userId };
  return create(ConnectRequestSchema, {
    requestId,
    frame: { case: "subscribe", value: { subscriptionId, target: { kind } } },
  });
}

/** `unsubscribe`, with request id 0: the client waits for no `ack`. */
export function unsubscribeFrame(subscriptionId: string): ConnectRequest {
  return create(ConnectRequestSchema, { frame: { case: "unsubscribe", value: { subscriptionId } } });
}

/** `follow` or `unfollow`, with the non-zero request id PRS-FOL-1 requires. */
export function followFrame(requestId: bigint, userId: string, follow: boolean): ConnectRequest {
  return create(ConnectRequestSchema, {
    requestId,
    frame: follow ? { case: "follow", value: { userId } } : { case: "unfollow", value: { userId } },
  });
}

/** `leave` (PRS-END-1). */
export function leaveFrame(): ConnectRequest {
  return create(ConnectRequestSchema, { frame: { case: "leave", value: {} } });
}

/** `ping`, the client's liveness probe (PRS-LIV-9). */
export function pingFrame(nonce: bigint): ConnectRequest {
  return create(ConnectRequestSchema, { frame: { case: "ping", value: { nonce } } });
}

/** `pong` with the nonce of the server's `ping` (PRS-LIV-3). */
export function pongFrame(nonce: bigint): ConnectRequest {
  return create(ConnectRequestSchema, { frame: { case: "pong", value: { nonce } } });
}

/** A null reason as the API names it; a reason this client does not know is `UNKNOWN` (PRS-EVO-4). */
export function nullReasonName(reason: WireNullReason): NullReason {
  switch (reason) {
    case WireNullReason.LEFT: return "LEFT";
    case WireNullReason.CLEARED: return "CLEARED";
    case WireNullReason.TIMED_OUT: return "TIMED_OUT";
    case WireNullReason.OUT_OF_SCOPE: return "OUT_OF_SCOPE";
    case WireNullReason.REVOKED: return "REVOKED";
    default: return "UNKNOWN";
  }
}

/** An error reason's name without its prefix, or its number for a reason this client does not know. */
export function errorReasonName(reason: ErrorReason): string {
  return ErrorReason[reason] ?? String(reason);
}

/** Distinct non-zero request ids for one client (PRS-ACK-3). */
export class RequestIds {
  private last = 0n;

  next(): bigint {
    this.last += 1n;
    return this.last;
  }
}
