/** Identifier formats of presence.v1: room ids (PRS-ROOM-1), subscription ids (PRS-SUB-1), user ids (PRS-IDN-5). */

const ROOM_ID = /^[A-Za-z0-9._:~-]{1,128}$/;
const SUBSCRIPTION_ID = /^[A-Za-z0-9._:~-]{1,64}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const ONLY_WHITE_SPACE = /^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$/;
const MAX_USER_ID_BYTES = 256;

/** Whether `roomId` is a valid room id: `[A-Za-z0-9._:~-]{1,128}` (PRS-ROOM-1). */
export function isValidRoomId(roomId: string): boolean {
  return ROOM_ID.test(roomId);
}

/** Whether `id` is a valid subscription id: `[A-Za-z0-9._:~-]{1,64}` (PRS-SUB-1). */
export function isValidSubscriptionId(id: string): boolean {
  return SUBSCRIPTION_ID.test(id);
}

/** Whether a string has a UTF-8 encoding, that is holds no lone surrogate. */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * Whether `userId` is a valid user id (PRS-IDN-5): 1 to 256 bytes of UTF-8, no code point of category Cc, not
 * white space alone.
 */
export function isValidUserId(userId: string): boolean {
  if (!isWellFormed(userId) || CONTROL.test(userId) || ONLY_WHITE_SPACE.test(userId)) {
    return false;
  }
  const bytes = new TextEncoder().encode(userId).length;
  return bytes >= 1 && bytes <= MAX_USER_ID_BYTES;
}

/** Whether the bytes are a valid user id: valid UTF-8 whose text {@link isValidUserId} accepts. */
export function isValidUserIdBytes(bytes: Uint8Array): boolean {
  try {
    return isValidUserId(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return false;
  }
}
