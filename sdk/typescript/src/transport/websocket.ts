import { consoleLogger, type Logger } from "../logger.js";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { statusCodeName, type CallEnd, type StatusCode } from "../errors.js";
import { ConnectRequestSchema, ConnectResponseSchema, type ConnectRequest, type SessionEnd } from "../gen/presence/v1/presence_pb.js";
import { base64UrlEncode } from "../internal/credentials.js";
import type { Call, CallHandlers, Transport } from "./transport.js";

/** The subprotocol of presence.v1 (PRS-WS-3). */
export const SUBPROTOCOL = "presence.v1";
/** The prefix of the subprotocol entry that carries credentials (PRS-WS-6). */
export const BEARER_PREFIX = "presence.v1.bearer.";
/** The path a client uses when given only a host and port (PRS-WS-1). */
export const PATH = "/presence.v1";

/** The part of the WHATWG WebSocket this transport uses; browsers, Node 22+ and the `ws` package provide it. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly protocol: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor, as `globalThis.WebSocket` or the `ws` package's. */
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

const OPEN = 1;
/** The Close code the client sends to abandon a session: not 1000, so the server reads a cancel (PRS-WS-12). */
const CANCEL_CODE = 4001;

/** The URL of a target: a `ws://` or `wss://` URL as given, or `host:port` with the path `/presence.v1` (PRS-WS-1). */
export function webSocketUrl(target: string): string {
  if (/^wss?:\/\//i.test(target)) {
    return target;
  }
  return `ws://${target}${PATH}`;
}

/** The `Sec-WebSocket-Protocol` entries a client offers: `presence.v1`, then the credentials entry (PRS-WS-6). */
export function offeredSubprotocols(token: string | undefined): string[] {
  return token ? [SUBPROTOCOL, BEARER_PREFIX + base64UrlEncode(token)] : [SUBPROTOCOL];
}

/**
 * How a session ended when no `session_end` arrived, from the Close code (PRS-WS-11): 4000 to 4016 is that gRPC
 * code with the Close reason as its `ErrorInfo` reason, 1000 is `OK`, anything else `UNAVAILABLE`.
 */
export function endOfClose(code: number, reason: string): CallEnd {
  if (code === 1000) {
    return { code: "OK", reason: "", message: "the server closed the connection", metadata: {} };
  }
  if (code >= 4000 && code <= 4016) {
    const status = statusCodeName(code - 4000);
    return { code: status, reason, message: reason || status, metadata: {} };
  }
  return { code: "UNAVAILABLE", reason: "", message: `connection closed (${code})`, metadata: {} };
}

/** The status a client reads from a refused handshake (PRS-WS-11); 0 stands for no HTTP answer. */
export function handshakeStatusCode(httpStatus: number): StatusCode {
  switch (httpStatus) {
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "UNIMPLEMENTED";
    default: return httpStatus >= 400 && httpStatus < 500 ? "FAILED_PRECONDITION" : "UNAVAILABLE";
  }
}

/** How a session ended, from its `session_end` frame (PRS-WS-10). */
export function endOfSessionEnd(end: SessionEnd): CallEnd {
  return { code: statusCodeName(end.code), reason: end.reason, message: end.message, metadata: { ...end.metadata } };
}

/**
 * The WebSocket binding (SPEC §2.2): one connection per session, one binary message per frame, credentials in the
 * subprotocol entry, and the end read from `session_end`, the Close code or the failed handshake.
 *
 * @param target a `ws://`/`wss://` URL or `host:port`
 * @param webSocket the WebSocket constructor, or a promise of it (loaded on first use)
 * @param logger where a message that does not decode is reported; default {@link consoleLogger}
 */
export function webSocketTransport(target: string,
  webSocket: WebSocketConstructor | (() => Promise<WebSocketConstructor>), logger: Logger = consoleLogger): Transport {
  const url = webSocketUrl(target);
  let constructor: Promise<WebSocketConstructor> | undefined;
  const load = (): Promise<WebSocketConstructor> => {
    if (!constructor) {
      constructor = isConstructor(webSocket)
        ? Promise.resolve(webSocket)
        : webSocket();
    }
    return constructor;
  };
  return {
    open: (token, handlers) => new WebSocketCall(url, offeredSubprotocols(token), load(), handlers, logger),
    reset: () => {}, // Every session has a connection of its own.
    fresh: () => {},
    release: () => {},
  };
}

function isConstructor(value: WebSocketConstructor | (() => Promise<WebSocketConstructor>)): value is WebSocketConstructor {
  const prototype: unknown = (value as { prototype?: unknown }).prototype;
  return typeof prototype === "object" && prototype !== null && typeof (prototype as { send?: unknown }).send === "function";
}

class WebSocketCall implements Call {
  private socket: WebSocketLike | undefined;
  private readonly pending: Uint8Array[] = [];
  private sessionEnd: CallEnd | undefined;
  private handshakeStatus: number | undefined;
  private finished = false;
  private cancelled = false;
  private ended = false;

  constructor(url: string, protocols: string[], ctor: Promise<WebSocketConstructor>,
    private readonly handlers: CallHandlers, private readonly logger: Logger) {
    ctor.then((WebSocketCtor) => {
      if (this.cancelled) {
        this.end({ code: "CANCELLED", reason: "", message: "cancelled before connecting", metadata: {} });
        return;
      }
      this.connect(new WebSocketCtor(url, protocols));
    }, (e: unknown) => {
      this.end({ code: "UNAVAILABLE", reason: "", message: `no WebSocket implementation: ${String(e)}`, metadata: {} });
    });
  }

  private connect(socket: WebSocketLike): void {
    this.socket = socket;
    socket.binaryType = "arraybuffer";
    listenForHandshakeStatus(socket, (status) => {
      this.handshakeStatus = status;
    });
    socket.onopen = () => {
      for (const bytes of this.pending.splice(0)) {
        socket.send(bytes);
      }
      if (this.finished) {
        socket.close(1000);
      }
    };
    socket.onmessage = (event) => this.onMessage(event.data);
    socket.onerror = () => {
      // The close event follows and says how the session ended.
    };
    socket.onclose = (event) => this.onClose(event.code, event.reason);
  }

  private onMessage(data: unknown): void {
    if (this.ended || !(data instanceof ArrayBuffer || ArrayBuffer.isView(data))) {
      return; // A server sends no text messages; one would be no frame of this binding.
    }
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let frame;
    try {
      frame = fromBinary(ConnectResponseSchema, bytes);
    } catch {
      this.logger.warn("presence: a message from the server did not decode; ignored");
      return;
    }
    if (frame.frame.case === "sessionEnd") {
      this.sessionEnd ??= endOfSessionEnd(frame.frame.value);
      return;
    }
    if (this.sessionEnd === undefined) {
      this.handlers.frame(frame);
    }
  }

  private onClose(code: number, reason: string): void {
    if (this.sessionEnd) {
      this.end(this.sessionEnd);
    } else if (this.handshakeStatus !== undefined) {
      const status = handshakeStatusCode(this.handshakeStatus);
      this.end({ code: status, reason: "", message: `handshake refused with HTTP ${this.handshakeStatus}`, metadata: {} });
    } else {
      this.end(endOfClose(code, reason));
    }
  }

  private end(end: CallEnd): void {
    if (!this.ended) {
      this.ended = true;
      this.handlers.end(end);
    }
  }

  send(frame: ConnectRequest): void {
    if (this.ended || this.finished || this.cancelled) {
      return;
    }
    const bytes = toBinary(ConnectRequestSchema, frame);
    if (this.socket?.readyState === OPEN) {
      this.socket.send(bytes);
    } else {
      this.pending.push(bytes);
    }
  }

  finish(): void {
    if (this.finished || this.ended) {
      return;
    }
    this.finished = true;
    if (this.socket?.readyState === OPEN) {
      this.socket.close(1000);
    }
  }

  cancel(): void {
    if (this.cancelled || this.ended) {
      return;
    }
    this.cancelled = true;
    const socket = this.socket;
    if (socket && socket.readyState <= OPEN) {
      socket.close(CANCEL_CODE, "cancelled");
    }
    // The call ends now for the client, whatever the server still says (a browser may hold the close for long).
    queueMicrotask(() => this.end({ code: "CANCELLED", reason: "", message: "cancelled by the client", metadata: {} }));
  }
}

/**
 * The `ws` package reports the HTTP status of a refused handshake through its `unexpected-response` event; a
 * browser's WebSocket cannot, and its failures read as UNAVAILABLE (PRS-WS-11).
 */
function listenForHandshakeStatus(socket: WebSocketLike, onStatus: (status: number) => void): void {
  const emitter = socket as unknown as {
    on?: (event: string, listener: (req: unknown, res: { statusCode?: number }) => void) => void;
  };
  if (typeof emitter.on === "function") {
    emitter.on("unexpected-response", (_req, res) => {
      onStatus(res.statusCode ?? 0);
      socket.close(); // Aborts the handshake; the close event follows.
    });
  }
}
