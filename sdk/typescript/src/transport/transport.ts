import type { CallEnd } from "../errors.js";
import type { ConnectRequest, ConnectResponse } from "../gen/presence/v1/presence_pb.js";

/** Where one call's inbound side goes. */
export interface CallHandlers {
  /** A frame arrived. */
  frame(frame: ConnectResponse): void;
  /** The call ended; called once, never from inside {@link Transport.open} or {@link Call.send}. */
  end(end: CallEnd): void;
}

/** One call of a binding, carrying the frames of one session (PRS-TRN-1). */
export interface Call {
  /** Sends a frame; frames sent before the binding is ready wait for it, in order. Ignored after the end. */
  send(frame: ConnectRequest): void;
  /** Ends the client's side cleanly: a half-close on gRPC, a Close frame with code 1000 on WebSocket. */
  finish(): void;
  /** Abandons the call: a cancel on gRPC, a Close frame with another code on WebSocket. */
  cancel(): void;
}

/** A binding of presence.v1 (SPEC §2) that opens calls to one server. */
export interface Transport {
  /**
   * Starts a call.
   *
   * @param token the bearer token for the call, or undefined for none
   */
  open(token: string | undefined, handlers: CallHandlers): Call;
  /**
   * Drops the connection under the calls, after the client gave a silent server up, so that the next call does not
   * ride on a dead connection. Calls still running on it end.
   */
  reset(): void;
  /**
   * Makes the next call use a new connection while the calls running keep theirs, so that a load balancer can route
   * a session moving off a draining server to another one (PRS-DRN-6).
   */
  fresh(): void;
  /** Releases what the transport holds (connections, channels) once the client has stopped. */
  release(): void;
}
