/**
 * `@presence/sdk` in Node: the same API as the browser entry; the WebSocket is the global one when Node has it
 * (22 and later), else the `ws` package's, loaded on first connect.
 *
 * @packageDocumentation
 */
import { createClientWith } from "./client.js";
import { webSocketTransport, type WebSocketConstructor } from "./transport/websocket.js";
import type { ClientOptions, PresenceClient } from "./types.js";

export * from "./index.js";

async function loadWebSocket(): Promise<WebSocketConstructor> {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global !== undefined) {
    return global;
  }
  const ws = await import("ws");
  return ws.WebSocket as unknown as WebSocketConstructor;
}

/**
 * Creates a client that speaks the WebSocket binding: through the global `WebSocket` where Node has one, else
 * through the `ws` package (Node 20: `npm install ws`).
 *
 * @throws PresenceError with reason `INVALID_ROOM_ID` or `INVALID_USER_ID` for options the server would refuse
 */
export function createClient(options: ClientOptions): PresenceClient {
  return createClientWith(options, webSocketTransport(options.target, loadWebSocket, options.logger));
}
