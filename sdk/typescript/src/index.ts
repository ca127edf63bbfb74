/**
 * `@presence/sdk`: the presence.v1 client over WebSocket, for browsers and Node.
 *
 * ```ts
 * import { createClient } from "@presence/sdk";
 * const client = createClient({ target: "wss://example.org/presence.v1", room: "doc-42", token });
 * await client.connect();
 * client.presence.sync("*", ({ userId, state }) => { ... });
 * client.presence.update({ cursor: { x: 10, y: 20 } });
 * ```
 *
 * @packageDocumentation
 */
import { createClientWith } from "./client.js";
import { PresenceError } from "./errors.js";
import { webSocketTransport, type WebSocketConstructor } from "./transport/websocket.js";
import type { ClientOptions, PresenceClient } from "./types.js";

export { createClientWith, SDK_VERSION } from "./client.js";
export { realClock, type Cancel, type Clock } from "./clock.js";
export { PresenceError, STATUS_CODES, type CallEnd, type StatusCode } from "./errors.js";
export { isValidRoomId, isValidSubscriptionId, isValidUserId } from "./ids.js";
export { consoleLogger, type Logger } from "./logger.js";
export { stateDepth, stateSize, type PresenceState } from "./state.js";
export type { Call, CallHandlers, Transport } from "./transport/transport.js";
export { webSocketTransport, type WebSocketConstructor, type WebSocketLike } from "./transport/websocket.js";
export type * from "./types.js";

/**
 * Creates a client that speaks the WebSocket binding through the global `WebSocket` (browsers, Node 22 and
 * later). On Node 20 import from `@presence/sdk` resolves to the Node entry, which falls back to the `ws` package.
 *
 * @throws PresenceError with reason `INVALID_ROOM_ID` or `INVALID_USER_ID` for options the server would refuse
 */
export function createClient(options: ClientOptions): PresenceClient {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global === undefined) {
    throw new PresenceError("", "NO_WEBSOCKET", "this environment has no global WebSocket");
  }
  return createClientWith(options, webSocketTransport(options.target, global, options.logger));
}
