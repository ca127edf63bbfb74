import { describe, expect, it } from "vitest";
import { isValidRoomId, isValidSubscriptionId, isValidUserId, isValidUserIdBytes } from "../../src/ids.js";
import { checkedState, stateDepth, stateSize } from "../../src/state.js";
import { PresenceError } from "../../src/errors.js";
import { base64Decode, errorInfoOf } from "../../src/transport/grpc-status.js";
import { endOfClose, handshakeStatusCode, offeredSubprotocols } from "../../src/transport/websocket.js";
import { vectorCases } from "../support/vectors.js";

interface IdCase { value?: string; utf8_hex?: string; valid: boolean; why: string }

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

describe("identifier vectors", () => {
  it.each(vectorCases<IdCase>("user_ids.json"))("user id: $why", (c) => {
    if (c.value !== undefined) {
      expect(isValidUserId(c.value)).toBe(c.valid);
      expect(isValidUserIdBytes(new TextEncoder().encode(c.value))).toBe(c.valid);
    } else {
      expect(isValidUserIdBytes(hexBytes(c.utf8_hex!))).toBe(c.valid);
    }
  });

  it.each(vectorCases<IdCase>("room_ids.json").filter((c) => c.value !== undefined))("room id: $why", (c) => {
    expect(isValidRoomId(c.value!)).toBe(c.valid);
  });

  it.each(vectorCases<IdCase>("subscription_ids.json").filter((c) => c.value !== undefined))(
    "subscription id: $why", (c) => {
      expect(isValidSubscriptionId(c.value!)).toBe(c.valid);
    });
});

interface StateCase { name: string; json?: string; canonical_size: number; depth: number; verdict: string }

describe("state vectors", () => {
  const withJson = vectorCases<StateCase>("states.json").filter((c) => c.json !== undefined);

  it("has JSON cases", () => expect(withJson.length).toBeGreaterThan(5));

  it.each(withJson)("$name: size, depth and verdict", (c) => {
    const state = JSON.parse(c.json!);
    expect(stateDepth(state)).toBe(c.depth);
    expect(stateSize(state)).toBe(c.canonical_size);
    let verdict = "ok";
    try {
      checkedState(state, { maxStateBytes: 8192, maxStateDepth: 32 });
    } catch (e) {
      expect(e).toBeInstanceOf(PresenceError);
      verdict = (e as PresenceError).reason;
    }
    expect(verdict).toBe(c.verdict);
  });

  it("refuses what JSON cannot carry", () => {
    const limits = { maxStateBytes: 8192, maxStateDepth: 32 };
    for (const bad of [{ a: NaN }, { a: Infinity }, { a: 1n }, { a: "\uD800" }, { a: [undefined] }, { a: () => 1 }]) {
      expect(() => checkedState(bad, limits)).toThrowError(expect.objectContaining({ reason: "INVALID_STATE" }));
    }
  });

  it("reports depth before invalid values (PRS-ERR-6)", () => {
    expect(() => checkedState({ a: NaN, b: { c: { d: {} } } }, { maxStateBytes: 0, maxStateDepth: 3 }))
      .toThrowError(expect.objectContaining({ reason: "STATE_TOO_DEEP" }));
  });
});

interface ErrorInfoCase {
  name: string; grpc_status_details_bin: string;
  error_info: { reason: string; domain: string; metadata: Record<string, string> };
}

describe("error_info vectors", () => {
  it.each(vectorCases<ErrorInfoCase>("error_info.json"))("$name", (c) => {
    const info = errorInfoOf(base64Decode(c.grpc_status_details_bin));
    expect(info).toEqual({ reason: c.error_info.reason, domain: c.error_info.domain, metadata: c.error_info.metadata ?? {} });
  });
});

interface WebSocketCase {
  mapping: string; why: string; token?: string; entry?: string; close?: number; code?: string; http_status?: number;
}

describe("websocket vectors", () => {
  const cases = vectorCases<WebSocketCase>("websocket.json");

  it.each(cases.filter((c) => c.mapping === "bearer_entry"))("bearer entry: $why", (c) => {
    expect(offeredSubprotocols(c.token)).toEqual(["presence.v1", c.entry]);
  });

  it.each(cases.filter((c) => c.mapping === "close_read"))("close $close reads as $code", (c) => {
    expect(endOfClose(c.close!, "").code).toBe(c.code);
  });

  it.each(cases.filter((c) => c.mapping === "handshake_status"))("HTTP $http_status reads as $code", (c) => {
    expect(handshakeStatusCode(c.http_status!)).toBe(c.code);
  });

  it("offers no credentials entry without a token", () => {
    expect(offeredSubprotocols(undefined)).toEqual(["presence.v1"]);
  });
});
