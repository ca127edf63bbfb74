import type { Logger } from "../logger.js";
import type { Clock } from "../clock.js";
import { clientClosed, errorOfEnd, PresenceError, type CallEnd } from "../errors.js";
import type { ConnectResponse, Opened } from "../gen/presence/v1/presence_pb.js";
import type { Transport } from "../transport/transport.js";
import type { ConnectionState, ConnectionStateListener } from "../types.js";
import { credentialsOf, type Credentials } from "./credentials.js";
import type { Dispatcher } from "./dispatcher.js";
import { openFrame, pingFrame, pongFrame, type OpenSettings } from "./frames.js";
import { UNADVERTISED, limitsOf, type ServerLimits } from "./limits.js";
import { LivenessMonitor } from "./liveness.js";
import { CredentialRefresh } from "./refresh.js";
import { Backoff, RetryPlanner, classify } from "./retry.js";
import { Session } from "./session.js";

/** The protocol side of the client: what frames mean. */
export interface Protocol {
  /** A session was accepted; bring the server up to date with what the application set up. */
  onOpened(session: Session, opened: Opened): void;
  /** A frame of the current session other than `opened`, `ping` and `pong`. */
  onFrame(session: Session, frame: ConnectResponse): void;
  /** The current session ended or was replaced; another one follows unless the client stops. */
  onSessionLost(): void;
  /** The client stops for good: fail whatever still waits, end every subscription. */
  onStopped(cause: PresenceError): void;
}

/** Where the lifecycle gets its tokens. */
export type TokenFetcher = (() => Promise<string | undefined>) | undefined;

/** A token the server refused with UNAUTHENTICATED, and the error to report if no other token comes. */
interface Rejected {
  readonly token: string | undefined;
  readonly error: PresenceError;
}

/** How long {@link SessionLifecycle.close} waits for the server to end the left session. */
const CLOSE_GRACE_MILLIS = 2_000;

/**
 * Keeps one session open for as long as the client lives: opens it, reopens it after an unexpected end as SPEC
 * §14.1 says (PRS-RCN-1, PRS-RCN-3 to PRS-RCN-5), replaces it before its credentials expire (PRS-RCN-6,
 * PRS-RCN-7), abandons a server that stopped answering (PRS-LIV-9), answers pings (PRS-LIV-5) and reports the
 * connection state. What the other frames mean is the {@link Protocol}'s business.
 */
export class SessionLifecycle {
  private readonly listeners = new Set<ConnectionStateListener>();
  private readonly planner: RetryPlanner;
  private readonly refresh: CredentialRefresh;
  private started = false;
  private stopped = false;
  private closing: Promise<void> | undefined;
  private stateValue: ConnectionState = "connecting";
  private everOpened = false;
  private lastLimits: ServerLimits = UNADVERTISED;
  private current: Session | undefined;
  private cancelReconnect: (() => void) | undefined;
  private connectPromise: Promise<void> | undefined;
  private settleConnect: { resolve(): void; reject(e: PresenceError): void } | undefined;
  private stopCause: PresenceError | undefined;
  private readonly ended = new Set<Session>();

  constructor(
    private readonly settings: OpenSettings,
    private readonly transport: Transport,
    private readonly tokens: TokenFetcher,
    private readonly clock: Clock,
    random: () => number,
    private readonly dispatcher: Dispatcher,
    private readonly protocol: Protocol,
    private readonly logger: Logger,
  ) {
    this.planner = new RetryPlanner(new Backoff(random), tokens !== undefined);
    this.refresh = new CredentialRefresh(clock, {
      isStopped: () => this.stopped,
      current: () => this.current,
      start: (credentials) => this.startCall(credentials),
      startOnNewConnection: (credentials) => {
        this.transport.fresh();
        return this.startCall(credentials);
      },
      handOver: (next, opened) => this.handOver(next, opened),
      fetchCredentials: () => this.fetchCredentials(),
    }, (task) => this.dispatcher.run(task), logger);
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Whether the client stopped, so that nothing more may be sent or delivered. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** The current session if it is open; frames wait for the next one otherwise. */
  openSession(): Session | undefined {
    return this.current?.isOpened ? this.current : undefined;
  }

  onConnectionState(listener: ConnectionStateListener): () => void {
    const wrapped: ConnectionStateListener = (state, cause) => listener(state, cause);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  connect(): Promise<void> {
    if (!this.connectPromise) {
      this.connectPromise = new Promise<void>((resolve, reject) => {
        this.settleConnect = { resolve, reject };
      });
      if (this.stopped) {
        this.settleConnect?.reject(this.stopCause ?? clientClosed());
      } else if (this.everOpened) {
        this.settleConnect?.resolve();
      }
    }
    if (!this.started && !this.stopped) {
      this.started = true;
      this.notify("connecting");
      this.scheduleAttempt(0, undefined);
    }
    return this.connectPromise;
  }

  /** Leaves the room and stops; resolves once the left session ended or a grace period passed. */
  close(): Promise<void> {
    if (this.closing) {
      return this.closing;
    }
    const leaving = [this.current].filter((s): s is Session => s !== undefined && s.isOpened);
    const previous = this.stateValue;
    if (!this.stopped) {
      this.stopped = true;
      this.stateValue = "closed";
      this.cancelReconnect?.();
      this.leaveAll();
      this.protocol.onStopped(clientClosed());
      this.settleConnect?.reject(clientClosed());
      if (previous !== "closed") {
        this.post("closed", undefined);
      }
    }
    this.closing = this.awaitEnds(leaving).then(() => this.transport.release());
    return this.closing;
  }

  private awaitEnds(sessions: Session[]): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.clock.schedule(resolve, CLOSE_GRACE_MILLIS);
      const poll = (): void => {
        if (sessions.every((s) => this.ended.has(s))) {
          cancel();
          resolve();
        } else {
          this.whenEnded = poll;
        }
      };
      poll();
    });
  }

  private whenEnded: (() => void) | undefined;

  private async fetchCredentials(): Promise<Credentials> {
    const token = this.tokens ? await this.tokens() : undefined;
    return credentialsOf(token, this.clock.now(), Date.now());
  }

  private scheduleAttempt(delayMillis: number, rejected: Rejected | undefined): void {
    this.cancelReconnect = this.clock.schedule(() => void this.attempt(rejected), delayMillis);
  }

  private async attempt(rejected: Rejected | undefined): Promise<void> {
    let credentials: Credentials;
    try {
      credentials = await this.fetchCredentials();
    } catch (e) {
      this.dispatcher.run(() => {
        if (!this.stopped) {
          this.logger.warn("presence: the token source failed; retrying with backoff", e);
          this.scheduleRetry(this.planner.next("backoff", this.clock.now()).delayMillis, undefined,
            new PresenceError("", "TOKEN_SOURCE_FAILED", "the token source failed"), false);
        }
      });
      return;
    }
    this.dispatcher.run(() => {
      if (this.stopped) {
        return;
      }
      this.cancelReconnect = undefined;
      if (rejected && rejected.token === credentials.token) {
        // PRS-RCN-3: UNAUTHENTICATED is retried only with new credentials.
        this.stop(rejected.error);
      } else {
        this.current = this.startCall(credentials);
      }
    });
  }

  private startCall(credentials: Credentials): Session {
    const session = new Session(credentials);
    session.attach(this.transport.open(credentials.token, {
      frame: (frame) => this.dispatcher.run(() => this.onFrame(session, frame)),
      end: (end) => this.dispatcher.run(() => this.onEnded(session, end)),
    }));
    session.send(openFrame(this.settings));
    // A call that gets no `opened` within the leave detection bound is as dead as a silent session.
    session.setTimer("open", this.clock.schedule(() => this.dispatcher.run(() => {
      if (!this.stopped && !session.isOpened && (session === this.current || this.refresh.isReplacement(session))) {
        this.logger.warn(`presence: no opened within ${this.lastLimits.leaveDetectionMillis} ms; abandoning the call`);
        session.abandon();
        this.transport.reset();
      }
    }), this.lastLimits.leaveDetectionMillis));
    return session;
  }

  private scheduleRetry(delayMillis: number, rejected: Rejected | undefined, cause: PresenceError, quiet: boolean): void {
    if (!quiet) {
      const next: ConnectionState = this.everOpened ? "reconnecting" : "connecting";
      if (next !== this.stateValue) {
        this.notify(next, cause);
      }
    }
    this.scheduleAttempt(delayMillis, rejected);
  }

  private onEnded(session: Session, end: CallEnd): void {
    session.markEnded();
    this.ended.add(session);
    const waiting = this.whenEnded;
    this.whenEnded = undefined;
    waiting?.();
    if (this.stopped) {
      return;
    }
    if (session === this.current) {
      this.onCurrentEnded(session, end);
    } else {
      this.refresh.onOtherEnded(session, end);
    }
  }

  private onCurrentEnded(session: Session, end: CallEnd): void {
    this.current = undefined;
    this.protocol.onSessionLost();
    const retry = classify(end.code, end.reason, session.isLeft);
    const successor = this.refresh.successor(session, retry);
    if (successor) {
      this.current = successor;
      return;
    }
    const plan = this.planner.next(retry, this.clock.now());
    const failure = errorOfEnd(end);
    switch (plan.retry) {
      case "never":
        this.stop(failure);
        break;
      case "new-credentials":
        this.scheduleRetry(0, { token: session.credentials.token, error: failure }, failure, false);
        break;
      case "at-once":
        // PRS-RCN-7: expired credentials are replaced without telling the application, unless that fails.
        this.scheduleRetry(0, undefined, failure, end.reason === "CREDENTIALS_EXPIRED");
        break;
      case "backoff":
        this.scheduleRetry(plan.delayMillis, undefined, failure, false);
        break;
    }
  }

  private stop(cause: PresenceError): void {
    this.stopped = true;
    this.stopCause = cause;
    this.stateValue = "closed";
    this.leaveAll();
    this.protocol.onStopped(cause);
    this.settleConnect?.reject(cause);
    this.post("closed", cause);
    this.transport.release();
  }

  private leaveAll(): void {
    if (this.current) {
      this.current.stopTimers();
      this.current.leave();
      this.current = undefined;
    }
    this.refresh.leaveAll();
  }

  private onFrame(session: Session, frame: ConnectResponse): void {
    this.dispatchFrame(session, frame);
    if (session.isOpened && frame.frame.case !== "opened") {
      session.markHeardAfterOpened();
    }
  }

  private dispatchFrame(session: Session, frame: ConnectResponse): void {
    if (this.stopped) {
      return;
    }
    if (session !== this.current) {
      this.refresh.onOtherFrame(session, frame);
      return;
    }
    session.liveness?.heard(this.clock.now());
    switch (frame.frame.case) {
      case "opened":
        this.onOpened(session, frame.frame.value);
        break;
      case "ping":
        // PRS-LIV-5: answered at once, never behind the update throttle.
        session.send(pongFrame(frame.frame.value.nonce));
        break;
      case "pong":
        this.refresh.onPong(frame.frame.value.nonce);
        break;
      case "draining":
        this.refresh.onDraining(session);
        break;
      default:
        if (session.isOpened) {
          this.protocol.onFrame(session, frame);
        }
    }
  }

  private onOpened(session: Session, opened: Opened): void {
    if (session.isOpened) {
      return;
    }
    const limits = limitsOf(opened.limits);
    this.lastLimits = limits;
    session.stopTimers();
    session.markOpened(limits, new LivenessMonitor(limits.leaveDetectionMillis, this.clock.now()));
    const reopened = this.everOpened;
    this.everOpened = true;
    this.planner.opened(this.clock.now());
    this.protocol.onOpened(session, opened);
    this.startLiveness(session);
    this.refresh.schedule(session);
    if (this.stateValue !== "open") {
      this.notify("open");
    }
    if (!reopened) {
      const settle = this.settleConnect;
      this.dispatcher.post(() => settle?.resolve());
    }
  }

  private handOver(next: Session, opened: Opened): void {
    this.current?.stopTimers();
    this.protocol.onSessionLost();
    this.current = next;
    this.onOpened(next, opened);
  }

  private startLiveness(session: Session): void {
    const liveness = session.liveness;
    if (!liveness) {
      return;
    }
    const check = (): void => this.dispatcher.run(() => {
      if (this.stopped || this.current !== session) {
        return;
      }
      switch (liveness.check(this.clock.now())) {
        case "probe":
          session.send(pingFrame(liveness.nextNonce()));
          break;
        case "lost":
          this.logger.warn(`presence: the server did not answer a probe within ${liveness.halfBoundMillis} ms; reconnecting`);
          session.abandon();
          this.transport.reset();
          return;
        case "wait":
          break;
      }
      session.setTimer("liveness", this.clock.schedule(check, liveness.checkIntervalMillis));
    });
    session.setTimer("liveness", this.clock.schedule(check, liveness.checkIntervalMillis));
  }

  private notify(state: ConnectionState, cause?: PresenceError): void {
    this.stateValue = state;
    this.post(state, cause);
  }

  private post(state: ConnectionState, cause: PresenceError | undefined): void {
    for (const listener of [...this.listeners]) {
      this.dispatcher.post(() => {
        if (this.listeners.has(listener)) {
          listener(state, cause);
        }
      });
    }
  }
}
