/** The gRPC status code names, indexed by their numbers (google.rpc.Code). */
export const STATUS_CODES = [
  "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
  "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
  "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
] as const;

/** A gRPC status code name, such as `"UNAUTHENTICATED"`. */
export type StatusCode = (typeof STATUS_CODES)[number];

/** The name of a gRPC status code number; numbers outside the table read as `UNKNOWN`. */
export function statusCodeName(code: number): StatusCode {
  return STATUS_CODES[code] ?? "UNKNOWN";
}

/**
 * An error of the presence client.
 *
 * - A session that ended with an error (a fatal error of SPEC §14.1, a lost connection) has `code`, the gRPC
 *   status code name, and `reason`, the `ErrorInfo` reason such as `"UNAUTHENTICATED"` or `"ROOM_FORBIDDEN"`
 *   (empty when the server gave none), with the `ErrorInfo` metadata.
 * - A request the server refused (a `ProtocolError`) or a state the client refused before sending it (PRS-THC-6)
 *   has an empty `code` and the presence.v1 reason, such as `"STATE_TOO_LARGE"` or `"TOO_MANY_FOLLOWS"`.
 * - Errors of the client itself have an empty `code` and a reason of their own: `"CLIENT_CLOSED"`,
 *   `"INVALID_ARGUMENT"` for an argument the client refuses.
 */
export class PresenceError extends Error {
  /** The gRPC status code name when a session's end caused the error, otherwise empty. */
  readonly code: StatusCode | "";
  /** The presence.v1 reason without its `ERROR_REASON_` prefix, or a reason of the client; may be empty. */
  readonly reason: string;
  /** The `ErrorInfo` metadata, such as `supported_versions`; empty when there is none. */
  readonly metadata: Readonly<Record<string, string>>;

  constructor(code: StatusCode | "", reason: string, message: string, metadata: Record<string, string> = {}) {
    super(message);
    this.name = "PresenceError";
    this.code = code;
    this.reason = reason;
    this.metadata = metadata;
  }
}

/** How one call ended, read from its binding: status code, `ErrorInfo` reason and metadata. */
export interface CallEnd {
  readonly code: StatusCode;
  /** The `ErrorInfo` reason, or empty when the call ended without one. */
  readonly reason: string;
  readonly message: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The error the application sees for a call that ended as `end` says. */
export function errorOfEnd(end: CallEnd): PresenceError {
  return new PresenceError(end.code, end.reason, end.message || end.reason || end.code, { ...end.metadata });
}

/** The error of an operation on a closed client. */
export function clientClosed(): PresenceError {
  return new PresenceError("", "CLIENT_CLOSED", "the client was closed");
}
