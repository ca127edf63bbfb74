import type { Limits } from "../gen/presence/v1/presence_pb.js";

/** PRS-THC-1: the window a client uses until the server advertises one. */
export const DEFAULT_WINDOW_MILLIS = 50;
/** PRS-LIM-5: the depth a client assumes from a server that advertises 0. */
export const DEFAULT_STATE_DEPTH = 32;
/** PRS-TRN-8, PRS-LIM-5: the frame size every client accepts, and assumes from a server that advertises 0. */
export const DEFAULT_FRAME_BYTES = 4_194_304;
/** The leave detection bound assumed until a server advertises one. */
export const UNADVERTISED_DETECTION_MILLIS = 10_000;

/** The limits one session's `opened` advertised, with the values a client assumes for fields left at zero. */
export interface ServerLimits {
  readonly throttleWindowMillis: number;
  /** 0 when not advertised: then unchecked. */
  readonly maxStateBytes: number;
  readonly maxStateDepth: number;
  readonly leaveDetectionMillis: number;
  /** 0 when not advertised. */
  readonly maxSessionsPerUser: number;
  readonly maxOutboundFrameBytes: number;
}

/** What a client assumes before any `opened`. */
export const UNADVERTISED: ServerLimits = limitsOf(undefined);

/** Reads advertised limits (PRS-LIM-5 for zeros). */
export function limitsOf(limits: Limits | undefined): ServerLimits {
  const or = (advertised: number | undefined, fallback: number) => (advertised ? advertised : fallback);
  return {
    throttleWindowMillis: or(limits?.throttleWindowMillis, DEFAULT_WINDOW_MILLIS),
    maxStateBytes: limits?.maxStateBytes ?? 0,
    maxStateDepth: or(limits?.maxStateDepth, DEFAULT_STATE_DEPTH),
    leaveDetectionMillis: or(limits?.leaveDetectionMillis, UNADVERTISED_DETECTION_MILLIS),
    maxSessionsPerUser: limits?.maxSessionsPerUser ?? 0,
    maxOutboundFrameBytes: or(limits?.maxOutboundFrameBytes, DEFAULT_FRAME_BYTES),
  };
}
