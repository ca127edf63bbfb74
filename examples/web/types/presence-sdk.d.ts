// Stand-in for @presence/sdk's declarations, written from the agreed API, until the SDK is merged.
declare module "@presence/sdk" {
  export type PresenceState = Record<string, unknown>;
  export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";
  export class PresenceError extends Error {
    code: string;
    reason: string;
    metadata: Record<string, string>;
  }
  export interface User {
    readonly id: string;
    readonly name: string;
    follow(): Promise<void>;
    unfollow(): Promise<void>;
  }
  export interface PresenceChange {
    userId: string;
    state: PresenceState | null;
    reason?: string;
  }
  export interface PresenceClient {
    readonly userId: string | undefined;
    onError(cb: (error: PresenceError) => void): () => void;
    connect(): Promise<void>;
    close(): Promise<void>;
    onConnectionState(cb: (state: ConnectionState, cause?: PresenceError) => void): () => void;
    presence: {
      update(state: PresenceState): void;
      clear(): void;
      sync(target: string, cb: (change: PresenceChange) => void): () => void;
      unsync(): void;
      getStates(): Map<string, PresenceState>;
      getState(userId?: string): PresenceState | null;
    };
    users: {
      all: ReadonlyMap<string, User>;
      onMembers(cb: (userId: string, joined: boolean, reason?: string) => void): () => void;
    };
  }
  export interface ClientOptions {
    target: string;
    room: string;
    token?: string | (() => string | undefined | Promise<string | undefined>);
    userId?: string;
    displayName?: string;
  }
  export function createClient(options: ClientOptions): PresenceClient;
}
