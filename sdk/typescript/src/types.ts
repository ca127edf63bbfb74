import type { Logger } from "./logger.js";
import type { Clock } from "./clock.js";
import type { PresenceError } from "./errors.js";
import type { PresenceState } from "./state.js";

/**
 * The client's connection as the application sees it: `connecting` while the first session opens, `open` while a
 * session is open, `reconnecting` after a session was lost and before the next one opens, `closed` for good
 * (after {@link PresenceClient.close} or an error that retrying cannot fix).
 */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

/**
 * Why a user's state became null: the user's last session ended on purpose or was ended (`LEFT`), the user cleared
 * their state (`CLEARED`), stopped responding (`TIMED_OUT`), left the sync's scope (`OUT_OF_SCOPE`, after an
 * unfollow) or lost their credentials (`REVOKED`). `UNKNOWN` is a reason this client does not know.
 */
export type NullReason = "LEFT" | "CLEARED" | "TIMED_OUT" | "OUT_OF_SCOPE" | "REVOKED" | "UNKNOWN";

/**
 * One call of a sync's callback: a user's new state, or `state === null` when the user left, cleared their state
 * or went out of the sync's scope. A callback never sees a null for a user it has not seen a state of.
 */
export interface PresenceChange {
  readonly userId: string;
  readonly state: PresenceState | null;
  /** Why the state is null; undefined when it is not. */
  readonly reason?: NullReason;
}

/** Whose presence a sync receives: `"*"` every user in the room (yourself included), `"following"` the users you follow, or one user id. */
export type SyncTarget = "*" | "following" | (string & {});

/** A sync's callback. */
export type PresenceListener = (change: PresenceChange) => void;

/** Ends one sync; calling it again does nothing. */
export type Unsubscribe = () => void;

/** A member of the room. */
export interface User {
  /** The user id. */
  readonly id: string;
  /** The display name the room shows for the user; may be empty. */
  readonly name: string;
  /** Follows the user: its state then reaches `"following"` syncs. Resolves when the server confirmed it. */
  follow(): Promise<void>;
  /** Stops following the user. Resolves when the server confirmed it. */
  unfollow(): Promise<void>;
}

/** A membership change: `joined` true when the user's first session opened, false when their last ended. */
export type MembersListener = (userId: string, joined: boolean, reason?: NullReason) => void;

/** A change of the connection state; `cause` says why for `reconnecting` and `closed`, when known. */
export type ConnectionStateListener = (state: ConnectionState, cause?: PresenceError) => void;

/** An error the client reports outside any call of the application, such as a sync the server refused. */
export type ErrorListener = (error: PresenceError) => void;

/**
 * Credentials: a bearer token, or a source the client asks for a token each time it opens a session (so it can
 * hand out fresh ones when a token expires). A JWT's `exp` claim tells the client when to replace its session
 * before the token expires. Undefined or empty means no credentials.
 */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

/** Settings of {@link createClient}. */
export interface ClientOptions {
  /**
   * The server. WebSocket: a `ws://` or `wss://` URL, or `host:port`, which gets the path `/presence.v1`. gRPC
   * (the `@presence/sdk/grpc` entry): `host:port`.
   */
  readonly target: string;
  /** The room to join: `[A-Za-z0-9._:~-]{1,128}`. */
  readonly room: string;
  /** Credentials; see {@link TokenSource}. */
  readonly token?: TokenSource;
  /** The user id to claim from a server in its insecure development mode; other servers ignore it. */
  readonly userId?: string;
  /** The display name to claim with {@link userId}. */
  readonly displayName?: string;
  /** The clock; tests inject one. Default: real time. */
  readonly clock?: Clock;
  /** Uniform random numbers in [0, 1) for the reconnect jitter; tests inject one. Default: `Math.random`. */
  readonly random?: () => number;
  /** Identifies the client to operators; default `presence-sdk-ts/<version>`. */
  readonly clientAgent?: string;
  /** Where the client reports what it recovers from; see {@link Logger}. Default: {@link consoleLogger}. */
  readonly logger?: Logger;
}

/** The presence of the room's users, and your own (the seed's `client.presence`). */
export interface Presence {
  /**
   * Sets your state; it replaces the previous one as a whole. Sent at once when nothing was sent in the last
   * window, otherwise when the window ends, and only the latest state is sent.
   *
   * @throws PresenceError with reason `STATE_TOO_DEEP`, `INVALID_STATE` or `STATE_TOO_LARGE` when the server
   *   would refuse the state; nothing is set then
   */
  update(state: PresenceState): void;
  /** Clears your state: others see a null. Sent at once; a pending update is dropped. */
  clear(): void;
  /**
   * Calls `callback` with the current state of every user in the target's scope, then with every change.
   *
   * @returns a function that ends this sync alone
   */
  sync(target: SyncTarget, callback: PresenceListener): Unsubscribe;
  /** Ends every sync. */
  unsync(): void;
  /** The latest state of every user some sync holds. */
  getStates(): Map<string, PresenceState>;
  /** Your own latest state when called without a user id, else that user's as some sync holds it; null if none. */
  getState(userId?: string): PresenceState | null;
}

/** The room's members (the seed's `client.users`). */
export interface Users {
  /** Every member of the room, by user id, as of the latest news from the server. */
  readonly all: ReadonlyMap<string, User>;
  /** The users whose follow the server confirmed. */
  readonly following: ReadonlySet<string>;
  /** Follows a user, who need not be in the room yet. */
  follow(userId: string): Promise<void>;
  /** Stops following a user. */
  unfollow(userId: string): Promise<void>;
  /** Listens to membership changes; returns a function that stops listening. */
  onMembers(listener: MembersListener): Unsubscribe;
}

/** A presence.v1 client: one session in one room, kept open across connection losses. */
export interface PresenceClient {
  /** Opens the first session. Resolves once the server accepted it; rejects with a {@link PresenceError}. */
  connect(): Promise<void>;
  /** The authenticated user id, once connected. */
  readonly userId: string | undefined;
  /** The connection state. */
  readonly connectionState: ConnectionState;
  /** Listens to connection state changes; returns a function that stops listening. */
  onConnectionState(listener: ConnectionStateListener): Unsubscribe;
  /** Listens to errors outside the application's calls; returns a function that stops listening. */
  onError(listener: ErrorListener): Unsubscribe;
  /** Presence. */
  readonly presence: Presence;
  /** Members. */
  readonly users: Users;
  /** Leaves the room and stops. Resolves once stopped. */
  close(): Promise<void>;
}
