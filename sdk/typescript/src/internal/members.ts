import type { User as WireUser } from "../gen/presence/v1/presence_pb.js";
import type { MembersListener, NullReason, User } from "../types.js";
import type { Dispatcher } from "./dispatcher.js";

/** Follows and unfollows a user; the client's side of {@link User}. */
export type FollowAction = (userId: string, follow: boolean) => Promise<void>;

class RoomMember implements User {
  constructor(readonly id: string, readonly name: string, private readonly action: FollowAction) {}

  follow(): Promise<void> {
    return this.action(this.id, true);
  }

  unfollow(): Promise<void> {
    return this.action(this.id, false);
  }
}

/**
 * The room's members (SPEC §11), behind `users.all`: `Opened.members`, then `member_joined` and `member_left`. On
 * a new session only the difference from the previous member list reaches the listeners (PRS-RCN-9).
 */
export class MemberDirectory {
  private readonly members = new Map<string, User>();
  private readonly listeners = new Set<MembersListener>();

  constructor(private readonly dispatcher: Dispatcher, private readonly action: FollowAction) {}

  /** The live member map the application reads. */
  get all(): ReadonlyMap<string, User> {
    return this.members;
  }

  listen(listener: MembersListener): () => void {
    const wrapped: MembersListener = (...args) => listener(...args);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  joined(user: WireUser): void {
    this.members.set(user.userId, this.member(user));
    this.notify(user.userId, true);
  }

  left(userId: string, reason: NullReason): void {
    this.members.delete(userId);
    this.notify(userId, false, reason);
  }

  /** A session opened with this member list: report who left (`LEFT`) and who joined, nothing for the others. */
  reconcile(current: readonly WireUser[]): void {
    const fresh = new Map(current.map((u) => [u.userId, u]));
    for (const id of [...this.members.keys()]) {
      if (!fresh.has(id)) {
        this.members.delete(id);
        this.notify(id, false, "LEFT");
      }
    }
    for (const [id, user] of fresh) {
      const known = this.members.has(id);
      this.members.set(id, this.member(user));
      if (!known) {
        this.notify(id, true);
      }
    }
  }

  has(userId: string): boolean {
    return this.members.has(userId);
  }

  private member(user: WireUser): User {
    return new RoomMember(user.userId, user.displayName, this.action);
  }

  private notify(userId: string, joined: boolean, reason?: NullReason): void {
    for (const listener of [...this.listeners]) {
      this.dispatcher.post(() => {
        if (this.listeners.has(listener)) {
          if (joined) {
            listener(userId, true);
          } else {
            listener(userId, false, reason);
          }
        }
      });
    }
  }
}
