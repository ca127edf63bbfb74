import { create, toBinary, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { PresenceError } from "./errors.js";
import { UpdateStateSchema } from "./gen/presence/v1/presence_pb.js";
import { isWellFormed } from "./ids.js";

/**
 * A presence state: a freeform JSON object (a `google.protobuf.Struct` on the wire). Numbers are JSON numbers,
 * that is finite doubles; NaN, infinities, bigints, lone surrogates and `undefined` inside arrays cannot travel
 * (PRS-STA-8). Object properties whose value is `undefined` are left out, as `JSON.stringify` does.
 */
export type PresenceState = JsonObject;

/** Limits a state is checked against before it is sent (PRS-THC-6). */
export interface StateLimits {
  /** The largest canonical encoding in bytes; 0 leaves the size unchecked. */
  readonly maxStateBytes: number;
  /** The deepest state, the state itself counting 1. */
  readonly maxStateDepth: number;
}

class Refusal {
  constructor(readonly reason: "INVALID_STATE", readonly message: string) {}
}

/**
 * Copies a state the application gave into a plain JSON object and checks it in the server's order of PRS-ERR-6
 * (depth, values, size), so that a state the server would refuse is never sent. The copy keeps later changes the
 * application makes to its own object from reaching a pending send.
 *
 * @throws PresenceError with reason `STATE_TOO_DEEP`, `INVALID_STATE` or `STATE_TOO_LARGE`; the message describes
 *   the violation, never the content
 */
export function checkedState(state: unknown, limits: StateLimits): PresenceState {
  if (!isPlainObject(state)) {
    throw new PresenceError("", "INVALID_STATE", "a state must be a JSON object");
  }
  if (deeperThan(state, limits.maxStateDepth)) {
    throw new PresenceError("", "STATE_TOO_DEEP", `state is nested deeper than ${limits.maxStateDepth} levels`);
  }
  let copy: PresenceState;
  try {
    copy = copyObject(state);
  } catch (e) {
    if (e instanceof Refusal) {
      throw new PresenceError("", e.reason, e.message);
    }
    throw e;
  }
  const size = stateSize(copy);
  if (limits.maxStateBytes > 0 && size > limits.maxStateBytes) {
    throw new PresenceError("", "STATE_TOO_LARGE",
      `state is ${size} bytes; the server accepts at most ${limits.maxStateBytes}`);
  }
  return copy;
}

/**
 * PRS-STA-3: the length of the canonical protobuf encoding of the state's `google.protobuf.Struct`. It is read off
 * the encoding of an `UpdateState` carrying the state (one tag byte, the Struct's length as a varint, the Struct),
 * which keeps protobuf-es's JSON parser out of the browser bundle.
 */
export function stateSize(state: PresenceState): number {
  const total = toBinary(UpdateStateSchema, create(UpdateStateSchema, { state })).length;
  for (let lengthBytes = 1; lengthBytes <= 5; lengthBytes++) {
    const size = total - 1 - lengthBytes;
    if (size < 2 ** (7 * lengthBytes)) {
      return size;
    }
  }
  throw new Error("a state cannot be that large");
}

/** PRS-STA-7: the number of objects and arrays on the longest path, the state itself counting 1. */
export function stateDepth(value: JsonValue): number {
  if (Array.isArray(value)) {
    return 1 + Math.max(0, ...value.map(stateDepth));
  }
  if (value !== null && typeof value === "object") {
    return 1 + Math.max(0, ...Object.values(value).map(stateDepth));
  }
  return 0;
}

/** Whether two states are the same JSON value. */
export function sameState(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) {
    return true;
  }
  if (a === null || b === null || a === undefined || b === undefined || typeof a !== "object" || typeof b !== "object") {
    return false;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameState(v, b[i]));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length
    && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameState(a[k], b[k]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Whether objects and arrays nest deeper than `maxDepth`; stops looking there, so a cycle counts as too deep. */
function deeperThan(value: unknown, maxDepth: number): boolean {
  if (value === null || typeof value !== "object") {
    return false;
  }
  if (maxDepth < 1) {
    return true;
  }
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => deeperThan(child, maxDepth - 1));
}

function copyObject(source: Record<string, unknown>): JsonObject {
  const copy: JsonObject = {};
  for (const key of Object.keys(source)) {
    if (!isWellFormed(key)) {
      throw new Refusal("INVALID_STATE", "state has a key that is not valid Unicode");
    }
    const value = source[key];
    if (value !== undefined) {
      copy[key] = copyValue(value);
    }
  }
  return copy;
}

function copyValue(value: unknown): JsonValue {
  switch (typeof value) {
    case "string":
      if (!isWellFormed(value)) {
        throw new Refusal("INVALID_STATE", "state has a string that is not valid Unicode");
      }
      return value;
    case "number":
      if (!Number.isFinite(value)) {
        throw new Refusal("INVALID_STATE", "state has a number that is NaN or infinite");
      }
      return value;
    case "boolean":
      return value;
    case "object":
      if (value === null) {
        return null;
      }
      if (Array.isArray(value)) {
        return value.map((item) => {
          if (item === undefined) {
            throw new Refusal("INVALID_STATE", "state has an undefined list element");
          }
          return copyValue(item);
        });
      }
      return copyObject(value as Record<string, unknown>);
    default:
      throw new Refusal("INVALID_STATE", `state has a value of type ${typeof value}, which JSON cannot carry`);
  }
}
