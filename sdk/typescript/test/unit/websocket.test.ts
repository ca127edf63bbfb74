import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import type { CallEnd } from "../../src/errors.js";
import {
  ConnectRequestSchema, ConnectResponseSchema, type ConnectRequest, type ConnectResponse,
} from "../../src/gen/presence/v1/presence_pb.js";
import { webSocketTransport, type WebSocketConstructor } from "../../src/transport/websocket.js";

/** A WebSocket server on a free port that records what the client offers and sends. */
async function server(onConnection: (socket: WebSocket, protocols: string[]) => void,
  refuseWith?: number): Promise<{ url: string; close(): Promise<void> }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has("presence.v1") ? "presence.v1" : false),
  });
  http.on("upgrade", (request, socket, head) => {
    const status = request.url !== "/presence.v1" ? 404 : refuseWith;
    if (status) {
      socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });
  wss.on("connection", (socket, request) => {
    const offered = String(request.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    onConnection(socket, offered);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      wss.clients.forEach((c) => c.terminate());
      wss.close();
      http.close(() => resolve());
    }),
  };
}

function encode(frame: Parameters<typeof create<typeof ConnectResponseSchema>>[1]): Uint8Array {
  return toBinary(ConnectResponseSchema, create(ConnectResponseSchema, frame));
}

function open(target: string, token?: string) {
  const frames: ConnectResponse[] = [];
  let resolveEnd: (end: CallEnd) => void = () => {};
  const ended = new Promise<CallEnd>((resolve) => { resolveEnd = resolve; });
  const call = webSocketTransport(target, WebSocket as unknown as WebSocketConstructor).open(token, {
    frame: (f) => frames.push(f),
    end: (e) => resolveEnd(e),
  });
  return { call, frames, ended };
}

const openRequest = create(ConnectRequestSchema, { frame: { case: "open", value: { roomId: "r", protocolVersion: 1 } } });

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe("WebSocket binding (SPEC §2.2)", () => {
  it("offers presence.v1 and the credentials entry, and sends frames as binary messages (PRS-WS-3, WS-4, WS-6)", async () => {
    const received: Array<{ binary: boolean; frame: ConnectRequest }> = [];
    let offered: string[] = [];
    const s = await server((socket, protocols) => {
      offered = protocols;
      socket.on("message", (data, isBinary) => {
        received.push({ binary: isBinary, frame: fromBinary(ConnectRequestSchema, data as Buffer) });
        socket.send(encode({ frame: { case: "opened", value: { sessionId: "x" } } }));
      });
    });
    stop = s.close;
    const { call, frames } = open(s.url, "abc");
    call.send(openRequest); // before the socket is open: waits for it
    await expect.poll(() => frames.length, { timeout: 5_000 }).toBe(1);
    expect(offered).toEqual(["presence.v1", "presence.v1.bearer.YWJj"]);
    expect(received).toEqual([{ binary: true, frame: openRequest }]);
    expect(frames[0]!.frame.case).toBe("opened");
    call.cancel();
  });

  it("reads the end from session_end, then the Close frame (PRS-WS-10, WS-11)", async () => {
    const s = await server((socket) => {
      socket.send(encode({ frame: { case: "sessionEnd", value: {
        code: 9, reason: "UNSUPPORTED_VERSION", message: "speak 1", metadata: { supported_versions: "1" } } } }));
      socket.close(4009, "UNSUPPORTED_VERSION");
    });
    stop = s.close;
    const { ended } = open(s.url);
    expect(await ended).toEqual({ code: "FAILED_PRECONDITION", reason: "UNSUPPORTED_VERSION", message: "speak 1",
      metadata: { supported_versions: "1" } });
  });

  it("reads the end from the Close code without session_end", async () => {
    const s = await server((socket) => socket.close(4016, "UNAUTHENTICATED"));
    stop = s.close;
    expect(await open(s.url).ended).toMatchObject({ code: "UNAUTHENTICATED", reason: "UNAUTHENTICATED" });
  });

  it("reads a lost connection as UNAVAILABLE", async () => {
    const s = await server((socket) => socket.terminate());
    stop = s.close;
    expect(await open(s.url).ended).toMatchObject({ code: "UNAVAILABLE", reason: "" });
  });

  it("reads a handshake refused with 401 as UNAUTHENTICATED and 404 as UNIMPLEMENTED (PRS-WS-11)", async () => {
    const s = await server(() => {}, 401);
    stop = s.close;
    expect(await open(s.url).ended).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await open(`ws://${s.url}/other`).ended).toMatchObject({ code: "UNIMPLEMENTED" });
  });

  it("reads a refused connection as UNAVAILABLE", async () => {
    const s = await server(() => {});
    const url = s.url;
    await s.close();
    expect(await open(url).ended).toMatchObject({ code: "UNAVAILABLE" });
  });

  it("ends cleanly with a Close frame of code 1000 after finish", async () => {
    let closeCode = 0;
    const s = await server((socket) => {
      socket.on("close", (code) => { closeCode = code; });
    });
    stop = s.close;
    const { call, ended } = open(s.url);
    call.send(openRequest);
    call.finish();
    await ended;
    await expect.poll(() => closeCode, { timeout: 5_000 }).toBe(1000);
  });
});
