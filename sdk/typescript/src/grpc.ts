/**
 * `@presence/sdk/grpc`: the presence.v1 client over the gRPC binding (SPEC §2.1), for Node, through
 * `@grpc/grpc-js` (`npm install @grpc/grpc-js`). Browsers never load this entry.
 *
 * @packageDocumentation
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { createClientWith } from "./client.js";
import { statusCodeName, type CallEnd } from "./errors.js";
import {
  ConnectRequestSchema, ConnectResponseSchema, type ConnectRequest, type ConnectResponse,
} from "./gen/presence/v1/presence_pb.js";
import { DEFAULT_FRAME_BYTES } from "./internal/limits.js";
import { errorInfoOf } from "./transport/grpc-status.js";
import type { Call, CallHandlers, Transport } from "./transport/transport.js";
import type { ClientOptions, PresenceClient } from "./types.js";

export * from "./index.js";

const CONNECT_PATH = "/presence.v1.PresenceService/Connect";

/** Settings of the gRPC transport. */
export interface GrpcOptions {
  /** Channel credentials; default plaintext (`grpc.credentials.createInsecure()`). */
  readonly credentials?: grpc.ChannelCredentials;
}

/**
 * Creates a client that speaks the gRPC binding to `options.target` (`host:port`): one `Connect` call per session,
 * credentials in the `authorization` metadata (PRS-TRN-3).
 *
 * @throws PresenceError with reason `INVALID_ROOM_ID` or `INVALID_USER_ID` for options the server would refuse
 */
export function createClient(options: ClientOptions, grpcOptions: GrpcOptions = {}): PresenceClient {
  return createClientWith(options, grpcTransport(options.target, grpcOptions));
}

/** The gRPC binding as a {@link Transport}: one channel, one bidirectional call per session. */
export function grpcTransport(target: string, options: GrpcOptions = {}): Transport {
  // PRS-TRN-8: every client accepts frames of 4194304 bytes, which covers every bound a server may advertise.
  const channel = () => new grpc.Client(target, options.credentials ?? grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": DEFAULT_FRAME_BYTES,
    "grpc.max_send_message_length": -1,
    // grpc-js shares connections between clients of one target through a global pool; a pool per client is what
    // makes `reset` and `fresh` open a new connection, which a load balancer may route to another server.
    "grpc.use_local_subchannel_pool": 1,
  });
  let client = channel();
  // The channel a move left behind: its call runs until the client leaves it, so it is closed only at the next
  // move or at release, long after that call ended.
  let previous: grpc.Client | undefined;
  return {
    open: (token, handlers) => new GrpcCall(client, token, handlers),
    reset: () => {
      client.close();
      client = channel();
    },
    fresh: () => {
      previous?.close();
      previous = client;
      client = channel();
    },
    release: () => {
      previous?.close();
      client.close();
    },
  };
}

class GrpcCall implements Call {
  private readonly stream: grpc.ClientDuplexStream<ConnectRequest, ConnectResponse>;
  private done = false;

  constructor(client: grpc.Client, token: string | undefined, private readonly handlers: CallHandlers) {
    const metadata = new grpc.Metadata();
    if (token) {
      metadata.set("authorization", `Bearer ${token}`);
    }
    this.stream = client.makeBidiStreamRequest(CONNECT_PATH,
      (frame: ConnectRequest) => Buffer.from(toBinary(ConnectRequestSchema, frame)),
      (bytes: Buffer) => fromBinary(ConnectResponseSchema, bytes),
      metadata);
    this.stream.on("data", (frame: ConnectResponse) => {
      if (!this.done) {
        handlers.frame(frame);
      }
    });
    this.stream.on("error", () => {
      // The status event says how the call ended.
    });
    this.stream.on("status", (status: grpc.StatusObject) => this.end(endOfStatus(status)));
  }

  private end(end: CallEnd): void {
    if (!this.done) {
      this.done = true;
      this.handlers.end(end);
    }
  }

  send(frame: ConnectRequest): void {
    if (!this.done && this.stream.writable) {
      this.stream.write(frame);
    }
  }

  finish(): void {
    if (!this.done && this.stream.writable) {
      this.stream.end();
    }
  }

  cancel(): void {
    if (!this.done) {
      this.stream.cancel();
    }
  }
}

/** How a call ended: its status code and, from `grpc-status-details-bin`, the `ErrorInfo` (PRS-ERR-2). */
function endOfStatus(status: grpc.StatusObject): CallEnd {
  const details = status.metadata?.get("grpc-status-details-bin")[0];
  const info = details === undefined ? undefined
    : errorInfoOf(typeof details === "string" ? Buffer.from(details, "base64") : details);
  return {
    code: statusCodeName(status.code),
    reason: info?.reason ?? "",
    message: status.details,
    metadata: info?.metadata ?? {},
  };
}
