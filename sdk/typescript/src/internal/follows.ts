import type { PresenceError } from "../errors.js";
import { followFrame, type RequestIds } from "./frames.js";
import type { Session } from "./session.js";

interface Waiter {
  resolve(): void;
  reject(error: PresenceError): void;
}

class Request {
  readonly waiters: Waiter[] = [];

  constructor(readonly userId: string, readonly follow: boolean) {}

  settle(post: (task: () => void) => void): void {
    for (const w of this.waiters) {
      post(() => w.resolve());
    }
  }

  fail(error: PresenceError, post: (task: () => void) => void): void {
    for (const w of this.waiters) {
      post(() => w.reject(error));
    }
  }
}

/**
 * The session's follow set (SPEC §10) as three things: the follows the application wants, the follows the server
 * acknowledged, and the requests still waiting for their answer.
 *
 * Only acknowledged follows count for routing (PRS-EVT-3). A request made while no session is open is sent when
 * one opens; across a reconnect the wanted follows are sent again and waiting promises ride on the new requests.
 */
export class FollowTracker {
  private readonly wanted = new Set<string>();
  private readonly confirmedSet = new Set<string>();
  private readonly inFlight = new Map<bigint, Request>();
  private unsent: Request[] = [];

  constructor(private readonly requestIds: RequestIds, private readonly post: (task: () => void) => void) {}

  /** Records a follow or unfollow and sends it on the open session, or when one opens. */
  request(userId: string, follow: boolean, waiter: Waiter, session: Session | undefined): void {
    if (follow) {
      this.wanted.add(userId);
    } else {
      this.wanted.delete(userId);
    }
    const request = new Request(userId, follow);
    request.waiters.push(waiter);
    if (session) {
      this.send(session, request);
    } else {
      this.unsent.push(request);
    }
  }

  isConfirmed(userId: string): boolean {
    return this.confirmedSet.has(userId);
  }

  get confirmed(): ReadonlySet<string> {
    return new Set(this.confirmedSet);
  }

  /** Settles the request an ack names; false if the ack is for no follow or unfollow. */
  onAck(requestId: bigint): boolean {
    const request = this.inFlight.get(requestId);
    if (!request) {
      return false;
    }
    this.inFlight.delete(requestId);
    if (request.follow) {
      this.confirmedSet.add(request.userId);
    } else {
      this.confirmedSet.delete(request.userId);
    }
    request.settle(this.post);
    return true;
  }

  /** Fails the request a protocol error names; false if the error is about no follow or unfollow. */
  onError(requestId: bigint, error: PresenceError): boolean {
    const request = requestId === 0n ? undefined : this.inFlight.get(requestId);
    if (!request) {
      return false;
    }
    this.inFlight.delete(requestId);
    if (request.follow) {
      // Refused, so it must not come back on the next reconnect either.
      this.wanted.delete(request.userId);
    }
    request.fail(error, this.post);
    return true;
  }

  /** The session ended: answers to requests in flight will never come, so they wait for the next session. */
  sessionLost(): void {
    this.unsent.push(...this.inFlight.values());
    this.inFlight.clear();
  }

  /**
   * Rebuilds the follow set on a new session, which starts with an empty one (PRS-RCN-8). Call before restoring
   * the subscriptions, so that a restored `following` snapshot covers every follow.
   */
  restore(session: Session): void {
    this.confirmedSet.clear();
    const resent = new Map<string, Request>();
    for (const userId of this.wanted) {
      const request = new Request(userId, true);
      this.send(session, request);
      resent.set(userId, request);
    }
    for (const old of this.unsent) {
      const replacement = old.follow ? resent.get(old.userId) : undefined;
      if (replacement) {
        replacement.waiters.push(...old.waiters);
      } else {
        // An empty follow set is what an unfollow asked for; a follow a later unfollow superseded is settled too.
        old.settle(this.post);
      }
    }
    this.unsent = [];
  }

  failAll(cause: PresenceError): void {
    const all = [...this.inFlight.values(), ...this.unsent];
    this.inFlight.clear();
    this.unsent = [];
    for (const request of all) {
      request.fail(cause, this.post);
    }
  }

  private send(session: Session, request: Request): void {
    const id = this.requestIds.next();
    this.inFlight.set(id, request);
    session.send(followFrame(id, request.userId, request.follow));
  }
}
