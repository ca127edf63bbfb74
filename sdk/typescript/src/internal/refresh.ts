import type { Logger } from "../logger.js";
import type { Clock } from "../clock.js";
import type { CallEnd } from "../errors.js";
import type { ConnectResponse, Opened } from "../gen/presence/v1/presence_pb.js";
import { refreshDelayMillis, type Credentials } from "./credentials.js";
import { pingFrame, pongFrame } from "./frames.js";
import type { Retry } from "./retry.js";
import type { Session } from "./session.js";

/** The session lifecycle as the refresh sees it. */
export interface RefreshedSessions {
  isStopped(): boolean;
  /** The session whose frames the application sees, or undefined between sessions. */
  current(): Session | undefined;
  /** Starts a call that sends `open` with the given credentials. */
  start(credentials: Credentials): Session;
  /** As `start`, on a new connection; calls already running keep theirs. */
  startOnNewConnection(credentials: Credentials): Session;
  /** Makes `next`, whose `opened` just arrived, the current session in place of the current one. */
  handOver(next: Session, opened: Opened): void;
  /** Fetches fresh credentials from the application's token source. */
  fetchCredentials(): Promise<Credentials>;
}

/**
 * Replaces a session before its credentials expire (PRS-RCN-6), make-before-break: a replacement session opens
 * with fresh credentials and takes over once opened, and the retiring one is left only when a pong on its
 * successor proves that the server processed the restored state. Where a second session is not allowed, it leaves
 * first and then opens with the fresh credentials.
 *
 * A session whose server is draining (SPEC.md §13.2) moves the same way, with its own credentials, on a new
 * connection so that a load balancer can route it to another server; a move that fails keeps the old session
 * (PRS-DRN-8), and a `draining` that arrives right after `opened` is ignored (PRS-DRN-9).
 */
export class CredentialRefresh {
  private replacement: Session | undefined;
  private retiring: Session | undefined;
  private retireOnPong = 0n;
  private leftForRefresh: Session | undefined;
  private refreshedCredentials: Credentials | undefined;
  /** Whether the replacement is a move off a draining server rather than a credential refresh. */
  private moving = false;

  constructor(private readonly clock: Clock, private readonly sessions: RefreshedSessions,
    private readonly run: (task: () => void) => void, private readonly logger: Logger) {}

  /** Schedules the refresh of a session that just became current, if its credentials expire. */
  schedule(session: Session): void {
    const delay = refreshDelayMillis(session.credentials, this.clock.now());
    if (delay !== undefined) {
      session.setTimer("refresh", this.clock.schedule(() => void this.refresh(session), delay));
    }
  }

  /**
   * The server of the current session is draining: opens its successor on a new connection, unless a move or a
   * refresh is under way or the server was draining already when it opened the session.
   */
  onDraining(session: Session): void {
    if (this.sessions.isStopped() || this.sessions.current() !== session || this.replacement || this.retiring) {
      return;
    }
    if (session.openedByMove && !session.heardAfterOpened) {
      // The new connection reached a server that was draining when it opened the session, most likely the same
      // one: moving once more would loop until the deadline. This session ends then, and the client reconnects
      // as after any SHUTTING_DOWN (PRS-DRN-9).
      return;
    }
    this.moving = true;
    this.replacement = this.sessions.startOnNewConnection(session.credentials);
    this.replacement.openedByMove = true;
  }

  isReplacement(session: Session): boolean {
    return session === this.replacement;
  }

  private async refresh(session: Session): Promise<void> {
    let fresh: Credentials;
    try {
      fresh = await this.sessions.fetchCredentials();
    } catch (e) {
      this.logger.warn("presence: the token source failed; the session goes on until its credentials expire", e);
      return;
    }
    this.run(() => {
      if (this.sessions.isStopped() || this.sessions.current() !== session || this.replacement) {
        return;
      }
      if (session.limits?.maxSessionsPerUser === 1) {
        this.leaveForRefresh(session, fresh);
      } else {
        this.replacement = this.sessions.start(fresh);
      }
    });
  }

  private leaveForRefresh(session: Session, fresh: Credentials): void {
    this.leftForRefresh = session;
    this.refreshedCredentials = fresh;
    session.leave();
  }

  /** A frame of a session that is not the current one. */
  onOtherFrame(session: Session, frame: ConnectResponse): void {
    if (session === this.replacement) {
      if (frame.frame.case === "opened") {
        this.switchTo(session, frame.frame.value);
      } else if (frame.frame.case === "ping") {
        session.send(pongFrame(frame.frame.value.nonce));
      }
    } else if (session === this.retiring && frame.frame.case === "ping") {
      // PRS-LIV-5: still live until left. Its other frames are dropped: its successor carries the view.
      session.send(pongFrame(frame.frame.value.nonce));
    }
  }

  private switchTo(next: Session, opened: Opened): void {
    const old = this.sessions.current();
    this.replacement = undefined;
    this.moving = false;
    this.sessions.handOver(next, opened);
    this.retiring?.leave();
    this.retiring = old;
    const liveness = next.liveness;
    if (liveness) {
      this.retireOnPong = liveness.nextNonce();
      next.send(pingFrame(this.retireOnPong));
    }
  }

  /** A pong on the current session; the one that answers the switch's ping lets the old session go. */
  onPong(nonce: bigint): void {
    if (this.retiring && nonce === this.retireOnPong) {
      this.retiring.leave();
      this.retiring = undefined;
    }
  }

  /** A session that is not the current one ended. */
  onOtherEnded(session: Session, end: CallEnd): void {
    if (session !== this.replacement) {
      return;
    }
    this.replacement = undefined;
    const current = this.sessions.current();
    if (this.moving) {
      // PRS-DRN-8: the old session still serves; leaving it first would show everyone a departure.
      this.moving = false;
      this.logger.warn(`presence: moving off a draining server failed (${end.code}); staying until the server ends the session`);
      return;
    }
    if (end.reason === "TOO_MANY_SESSIONS" && current?.isOpened) {
      this.leaveForRefresh(current, session.credentials);
      return;
    }
    this.logger.warn(`presence: opening a session with fresh credentials failed (${end.code}); `
      + "the current one goes on until its credentials expire");
  }

  /**
   * The current session ended: leaves the retiring one, and returns the session that takes over if a refresh
   * already has one.
   */
  successor(ended: Session, retry: Retry): Session | undefined {
    this.retiring?.leave();
    this.retiring = undefined;
    if (ended === this.leftForRefresh && this.refreshedCredentials) {
      this.leftForRefresh = undefined;
      return this.sessions.start(this.refreshedCredentials);
    }
    if (this.replacement && retry !== "never") {
      const next = this.replacement;
      this.replacement = undefined;
      this.moving = false;
      return next;
    }
    return undefined;
  }

  /** The client stops: leaves the replacement and the retiring session. */
  leaveAll(): void {
    for (const s of [this.replacement, this.retiring]) {
      s?.stopTimers();
      s?.leave();
    }
    this.replacement = undefined;
    this.retiring = undefined;
    this.moving = false;
  }
}
