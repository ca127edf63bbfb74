import type { PresenceEvent, ProtocolError } from "../gen/presence/v1/presence_pb.js";
import { PresenceError } from "../errors.js";
import { sameState, type PresenceState } from "../state.js";
import type { NullReason, PresenceChange, PresenceListener } from "../types.js";
import type { Dispatcher } from "./dispatcher.js";
import { errorReasonName, nullReasonName, subscribeFrame, unsubscribeFrame, type RequestIds, type WireTarget } from "./frames.js";
import type { Session } from "./session.js";

/** One subscription as the router tracks it. */
export class Route {
  /** What the listener was last told, per user; only non-null states are kept. */
  readonly held = new Map<string, PresenceState>();
  active = true;
  confirmed = false;
  subscribeRequestId = 0n;
  /** Users the new snapshot mentioned, while a reconnect comparison runs (PRS-RCN-2). */
  seenInSnapshot: Set<string> | undefined;

  constructor(readonly id: string, readonly target: WireTarget, readonly listener: PresenceListener,
    readonly onRefused: (error: PresenceError) => void) {}
}

/**
 * Delivers presence events to the subscriptions they are for, and keeps each listener's view consistent.
 *
 * - A tagged event goes to exactly the named subscriptions this client still holds (PRS-EVT-4).
 * - A live event goes to every subscription whose confirmed target covers the user: the target whose
 *   `snapshot_complete` arrived and, for `following`, the follows the server acknowledged (PRS-EVT-3).
 * - A null reaches a listener only if it holds a state for that user (PRS-EVT-8); a state equal to the one held
 *   is not reported again.
 * - After a reconnect each subscription's new snapshot is compared with what its listener held (PRS-RCN-2).
 *
 * It also keeps the cache behind `getStates()`: the latest state of every user some subscription holds.
 */
export class SubscriptionRouter {
  private readonly routes = new Map<string, Route>();
  private readonly latest = new Map<string, PresenceState>();
  private nextNumber = 1;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly requestIds: RequestIds,
    private readonly followConfirmed: (userId: string) => boolean,
  ) {}

  /** Adds a subscription and subscribes on the open session, if any; otherwise when one opens. */
  add(target: WireTarget, listener: PresenceListener, onRefused: (error: PresenceError) => void,
    session: Session | undefined): Route {
    const route = new Route(`s${this.nextNumber++}`, target, listener, onRefused);
    this.routes.set(route.id, route);
    if (session) {
      this.subscribe(session, route);
    }
    return route;
  }

  /** Ends a subscription at once; the server's `OUT_OF_SCOPE` nulls for it are then ignored. */
  remove(route: Route, session: Session | undefined): void {
    if (!route.active) {
      return;
    }
    route.active = false;
    this.routes.delete(route.id);
    session?.send(unsubscribeFrame(route.id));
    for (const user of route.held.keys()) {
      this.pruneLatest(user);
    }
  }

  removeAll(session: Session | undefined): void {
    for (const route of [...this.routes.values()]) {
      this.remove(route, session);
    }
  }

  /** The client stopped: every subscription ends without telling the server. */
  stopAll(): void {
    for (const route of this.routes.values()) {
      route.active = false;
    }
    this.routes.clear();
    this.latest.clear();
  }

  /** A new session opened: subscribe again, keeping what each listener holds for the comparison. */
  resubscribeAll(session: Session): void {
    for (const route of this.routes.values()) {
      route.confirmed = false;
      route.seenInSnapshot = new Set();
      this.subscribe(session, route);
    }
  }

  onEvent(event: PresenceEvent): void {
    const user = event.userId;
    const state = event.state ?? null;
    const reason = state === null ? nullReasonName(event.nullReason) : undefined;
    if (event.subscriptionIds.length > 0) {
      for (const id of event.subscriptionIds) {
        const route = this.routes.get(id);
        if (route?.active) {
          route.seenInSnapshot?.add(user);
          this.apply(route, user, state, reason);
        }
      }
    } else {
      for (const route of this.routes.values()) {
        if (route.active && route.confirmed && this.covers(route.target, user)) {
          this.apply(route, user, state, reason);
        }
      }
    }
    if (state !== null && this.heldByAny(user)) {
      this.latest.set(user, state);
    } else if (state === null) {
      this.pruneLatest(user);
    }
  }

  /**
   * Confirms a subscription's target and settles its reconnect comparison.
   *
   * @param isMember whether a user is still in the room, to tell a clear from a leave for users that vanished
   */
  onSnapshotComplete(subscriptionId: string, requestId: bigint, isMember: (userId: string) => boolean): void {
    const route = this.routes.get(subscriptionId);
    if (!route?.active) {
      return;
    }
    if (requestId !== 0n && requestId !== route.subscribeRequestId) {
      // The marker of an earlier subscribe for this id; the current target is not confirmed yet.
      return;
    }
    route.confirmed = true;
    const seen = route.seenInSnapshot;
    route.seenInSnapshot = undefined;
    if (seen) {
      for (const user of [...route.held.keys()]) {
        if (!seen.has(user)) {
          this.apply(route, user, null, isMember(user) ? "CLEARED" : "LEFT");
          this.pruneLatest(user);
        }
      }
    }
  }

  /**
   * Ends the subscription a protocol error refused, if it names one this router holds, and tells the application.
   *
   * @returns false if the error is about no such subscription
   */
  onRefused(error: ProtocolError): boolean {
    const route = [...this.routes.values()].find((r) =>
      (error.requestId !== 0n && error.requestId === r.subscribeRequestId)
      || (error.subscriptionId !== "" && error.subscriptionId === r.id && !r.confirmed));
    if (!route) {
      return false;
    }
    route.active = false;
    this.routes.delete(route.id);
    for (const user of route.held.keys()) {
      this.pruneLatest(user);
    }
    const failure = new PresenceError("", errorReasonName(error.reason), `sync refused: ${error.message}`);
    this.dispatcher.post(() => route.onRefused(failure));
    return true;
  }

  latestState(userId: string): PresenceState | null {
    return this.latest.get(userId) ?? null;
  }

  latestStates(): Map<string, PresenceState> {
    return new Map(this.latest);
  }

  private subscribe(session: Session, route: Route): void {
    route.subscribeRequestId = this.requestIds.next();
    session.send(subscribeFrame(route.subscribeRequestId, route.id, route.target));
  }

  private covers(target: WireTarget, user: string): boolean {
    switch (target.kind) {
      case "all": return true;
      case "following": return this.followConfirmed(user);
      case "user": return target.userId === user;
    }
  }

  private apply(route: Route, userId: string, state: PresenceState | null, reason: NullReason | undefined): void {
    let change: PresenceChange;
    if (state !== null) {
      const before = route.held.get(userId);
      route.held.set(userId, state);
      if (before !== undefined && sameState(before, state)) {
        // The listener already shows this, e.g. the same state in a snapshot after a reconnect.
        return;
      }
      change = { userId, state };
    } else {
      if (!route.held.delete(userId)) {
        return;
      }
      change = { userId, state: null, reason: reason ?? "UNKNOWN" };
    }
    this.dispatcher.post(() => {
      if (route.active) {
        route.listener(change);
      }
    });
  }

  private heldByAny(user: string): boolean {
    for (const route of this.routes.values()) {
      if (route.active && route.held.has(user)) {
        return true;
      }
    }
    return false;
  }

  private pruneLatest(user: string): void {
    if (!this.heldByAny(user)) {
      this.latest.delete(user);
    }
  }
}
