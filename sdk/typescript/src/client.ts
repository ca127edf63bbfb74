import { consoleLogger } from "./logger.js";
import { realClock } from "./clock.js";
import { clientClosed, PresenceError } from "./errors.js";
import type { ConnectResponse, Opened, ProtocolError } from "./gen/presence/v1/presence_pb.js";
import { isValidRoomId, isValidUserId } from "./ids.js";
import { Dispatcher } from "./internal/dispatcher.js";
import { FollowTracker } from "./internal/follows.js";
import { errorReasonName, nullReasonName, RequestIds, type WireTarget } from "./internal/frames.js";
import { SessionLifecycle, type Protocol, type TokenFetcher } from "./internal/lifecycle.js";
import { MemberDirectory } from "./internal/members.js";
import { OwnState } from "./internal/own-state.js";
import { SubscriptionRouter } from "./internal/router.js";
import type { Session } from "./internal/session.js";
import type { PresenceState } from "./state.js";
import type { Transport } from "./transport/transport.js";
import type {
  ClientOptions, ConnectionState, ConnectionStateListener, ErrorListener, MembersListener, Presence, PresenceClient,
  PresenceListener, SyncTarget, TokenSource, Unsubscribe, User, Users,
} from "./types.js";

/** The SDK's version, sent in `Open.client_agent`. */
export const SDK_VERSION = "0.1.0";

/**
 * Builds a client over a transport; the entry points pick the transport. Exposed for tests and for bindings of
 * one's own.
 */
export function createClientWith(options: ClientOptions, transport: Transport): PresenceClient {
  return new RealPresenceClient(options, transport);
}

function tokenFetcher(source: TokenSource | undefined): TokenFetcher {
  if (source === undefined) {
    return undefined;
  }
  if (typeof source === "string") {
    return () => Promise.resolve(source);
  }
  return async () => source();
}

function wireTarget(target: SyncTarget): WireTarget {
  if (target === "*") {
    return { kind: "all" };
  }
  if (target === "following") {
    return { kind: "following" };
  }
  if (typeof target !== "string" || !isValidUserId(target)) {
    throw new PresenceError("", "INVALID_USER_ID", "a sync target is '*', 'following' or a valid user id");
  }
  return { kind: "user", userId: target };
}

/**
 * The presence.v1 client, wired from parts that each keep one promise: the {@link SessionLifecycle} keeps a
 * session open, {@link OwnState} throttles this client's state, {@link FollowTracker} keeps the follow set,
 * {@link SubscriptionRouter} delivers events to syncs, {@link MemberDirectory} keeps the member list and the
 * {@link Dispatcher} runs callbacks after the bookkeeping.
 */
class RealPresenceClient implements PresenceClient {
  private readonly dispatcher: Dispatcher;
  private readonly requestIds = new RequestIds();
  private readonly follows: FollowTracker;
  private readonly router: SubscriptionRouter;
  private readonly members: MemberDirectory;
  private readonly ownState: OwnState;
  private readonly lifecycle: SessionLifecycle;
  private readonly errorListeners = new Set<ErrorListener>();
  private selfUserId: string | undefined;
  readonly presence: Presence;
  readonly users: Users;

  constructor(options: ClientOptions, transport: Transport) {
    if (!isValidRoomId(options.room)) {
      throw new PresenceError("", "INVALID_ROOM_ID", "a room id is 1 to 128 characters of [A-Za-z0-9._:~-]");
    }
    if (options.userId !== undefined && !isValidUserId(options.userId)) {
      throw new PresenceError("", "INVALID_USER_ID", "the development user id is not a valid user id");
    }
    const clock = options.clock ?? realClock;
    const logger = options.logger ?? consoleLogger;
    this.dispatcher = new Dispatcher(logger);
    const post = (task: () => void): void => this.dispatcher.post(task);
    this.follows = new FollowTracker(this.requestIds, post);
    this.router = new SubscriptionRouter(this.dispatcher, this.requestIds, (u) => this.follows.isConfirmed(u));
    this.members = new MemberDirectory(this.dispatcher, (userId, follow) => this.followRequest(userId, follow));
    this.ownState = new OwnState(clock, () => this.lifecycle.openSession());
    this.lifecycle = new SessionLifecycle(
      {
        room: options.room,
        devUserId: options.userId,
        devDisplayName: options.displayName,
        clientAgent: options.clientAgent ?? `presence-sdk-ts/${SDK_VERSION}`,
      },
      transport, tokenFetcher(options.token), clock, options.random ?? Math.random, this.dispatcher,
      this.protocol(), logger);
    this.presence = this.presenceModule();
    this.users = this.usersModule();
  }

  connect(): Promise<void> {
    return this.dispatcher.run(() => this.lifecycle.connect());
  }

  get userId(): string | undefined {
    return this.selfUserId;
  }

  get connectionState(): ConnectionState {
    return this.lifecycle.state;
  }

  onConnectionState(listener: ConnectionStateListener): Unsubscribe {
    return this.lifecycle.onConnectionState(listener);
  }

  onError(listener: ErrorListener): Unsubscribe {
    const wrapped: ErrorListener = (e) => listener(e);
    this.errorListeners.add(wrapped);
    return () => void this.errorListeners.delete(wrapped);
  }

  close(): Promise<void> {
    return this.dispatcher.run(() => this.lifecycle.close());
  }

  private followRequest(userId: string, follow: boolean): Promise<void> {
    if (!isValidUserId(userId)) {
      return Promise.reject(new PresenceError("", "INVALID_USER_ID", "not a valid user id"));
    }
    return this.dispatcher.run(() => {
      if (this.lifecycle.isStopped) {
        return Promise.reject(clientClosed());
      }
      return new Promise<void>((resolve, reject) =>
        this.follows.request(userId, follow, { resolve, reject }, this.lifecycle.openSession()));
    });
  }

  private reportError(error: PresenceError): void {
    for (const listener of [...this.errorListeners]) {
      this.dispatcher.post(() => listener(error));
    }
  }

  private protocol(): Protocol {
    return {
      onOpened: (session: Session, opened: Opened) => {
        this.selfUserId = opened.self?.userId;
        this.members.reconcile(opened.members);
        // PRS-RCN-8: the latest state, then follows, then subscriptions, so that a restored 'following' snapshot
        // sees the whole follow set.
        this.ownState.onOpened(session, session.limits!);
        this.follows.restore(session);
        this.router.resubscribeAll(session);
      },
      onFrame: (_session: Session, frame: ConnectResponse) => {
        const f = frame.frame;
        switch (f.case) {
          case "presence":
            f.value.events.forEach((e) => this.router.onEvent(e));
            break;
          case "snapshotComplete":
            this.router.onSnapshotComplete(f.value.subscriptionId, f.value.requestId, (u) => this.members.has(u));
            break;
          case "memberJoined":
            if (f.value.user) {
              this.members.joined(f.value.user);
            }
            break;
          case "memberLeft":
            this.members.left(f.value.userId, nullReasonName(f.value.reason));
            break;
          case "ack":
            this.follows.onAck(f.value.requestId);
            break;
          case "error":
            this.onProtocolError(f.value);
            break;
          default:
            // PRS-EVO-3: frames of kinds this client does not know.
            break;
        }
      },
      onSessionLost: () => {
        this.ownState.reset();
        this.follows.sessionLost();
      },
      onStopped: (cause: PresenceError) => {
        this.ownState.reset();
        this.follows.failAll(cause);
        this.router.stopAll();
      },
    };
  }

  private onProtocolError(error: ProtocolError): void {
    const failure = new PresenceError("", errorReasonName(error.reason), error.message);
    if (this.follows.onError(error.requestId, failure) || this.router.onRefused(error)) {
      return;
    }
    this.reportError(failure);
  }

  private presenceModule(): Presence {
    const run = <T>(task: () => T): T => this.dispatcher.run(task);
    return {
      update: (state: PresenceState) => run(() => {
        if (!this.lifecycle.isStopped) {
          this.ownState.set(state);
        }
      }),
      clear: () => run(() => {
        if (!this.lifecycle.isStopped) {
          this.ownState.clear();
        }
      }),
      sync: (target: SyncTarget, callback: PresenceListener): Unsubscribe => run(() => {
        const wire = wireTarget(target);
        if (this.lifecycle.isStopped) {
          return () => {};
        }
        const route = this.router.add(wire, callback, (e) => this.reportError(e), this.lifecycle.openSession());
        return () => run(() => this.router.remove(route, this.lifecycle.isStopped ? undefined : this.lifecycle.openSession()));
      }),
      unsync: () => run(() => {
        this.router.removeAll(this.lifecycle.isStopped ? undefined : this.lifecycle.openSession());
      }),
      getStates: () => this.router.latestStates(),
      getState: (userId?: string) => {
        const state = userId === undefined ? this.ownState.get() : this.router.latestState(userId);
        return state === null ? null : structuredClone(state);
      },
    };
  }

  private usersModule(): Users {
    const members = this.members;
    const follows = this.follows;
    return {
      get all(): ReadonlyMap<string, User> {
        return members.all;
      },
      get following(): ReadonlySet<string> {
        return follows.confirmed;
      },
      follow: (userId: string) => this.followRequest(userId, true),
      unfollow: (userId: string) => this.followRequest(userId, false),
      onMembers: (listener: MembersListener) => members.listen(listener),
    };
  }
}
