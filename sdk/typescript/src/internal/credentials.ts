/** The earliest a refresh is scheduled after the token was obtained, so that a short-lived token cannot spin. */
export const MIN_REFRESH_DELAY_MILLIS = 1_000;
const MAX_REFRESH_LEAD_MILLIS = 30_000;

/**
 * The token one session was opened with, when it was obtained (client clock) and when it expires if the client can
 * tell: the `exp` claim of a JWT, read without verifying the signature (the server verifies; the client only needs
 * to know when to refresh).
 */
export interface Credentials {
  readonly token: string | undefined;
  readonly obtainedAt: number;
  /** Milliseconds from `obtainedAt` to the expiry, or undefined when unknown. */
  readonly lifetimeMillis: number | undefined;
}

/** Credentials for a token obtained at `nowMillis`; `wallNowMillis` is the wall-clock time for a JWT's `exp`. */
export function credentialsOf(token: string | undefined, nowMillis: number, wallNowMillis: number): Credentials {
  const token_ = token === "" ? undefined : token;
  const exp = token_ === undefined ? undefined : jwtExpiryMillis(token_);
  return { token: token_, obtainedAt: nowMillis, lifetimeMillis: exp === undefined ? undefined : exp - wallNowMillis };
}

/** The `exp` claim of a compact JWT in epoch milliseconds, or undefined when the token is not one. */
export function jwtExpiryMillis(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) {
    return undefined;
  }
  try {
    const claims: unknown = JSON.parse(new TextDecoder().decode(base64UrlDecode(parts[1])));
    const exp = claims !== null && typeof claims === "object" ? (claims as Record<string, unknown>)["exp"] : undefined;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When to open the replacement session (PRS-RCN-6): at `expiry - min(30 s, lifetime / 3)`, but not sooner than
 * {@link MIN_REFRESH_DELAY_MILLIS} after the token was obtained.
 *
 * @returns milliseconds from `nowMillis`, or undefined when the expiry is unknown or was already past
 */
export function refreshDelayMillis(credentials: Credentials, nowMillis: number): number | undefined {
  const lifetime = credentials.lifetimeMillis;
  if (lifetime === undefined || lifetime <= 0) {
    return undefined;
  }
  const refreshAt = credentials.obtainedAt + lifetime - Math.min(MAX_REFRESH_LEAD_MILLIS, lifetime / 3);
  return Math.max(refreshAt, credentials.obtainedAt + MIN_REFRESH_DELAY_MILLIS) - nowMillis;
}

/** Base64url without padding (RFC 4648 §5) of UTF-8 text, as PRS-WS-6 carries a token. */
export function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function base64UrlDecode(text: string): Uint8Array {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
