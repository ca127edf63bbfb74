package dev.presence.server.session;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.User;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.fanout.FrameEncoder;
import dev.presence.server.fanout.Outbox;
import dev.presence.server.internal.Metrics;
import dev.presence.server.internal.Timer;

/**
 * One live session as its room sees it. Apart from {@link #isEnded()}, which transport threads may read,
 * all of it is confined to the room's serial executor.
 */
public final class Session implements Seat {
  private final String id;
  private final User user;
  private final CallHandle call;
  private final boolean pingCapable;
  private final long credentialsExpireAtEpochMillis;
  private final Subscriptions subscriptions = new Subscriptions();
  private final Outbox outbox;

  private volatile boolean ended;
  private boolean open;
  private EncodedState slot;
  private long slotSequence;
  private ConnectRequest postponed;
  private boolean inboundPaused;
  private long lastInboundAt;
  private long lastArrivalAt = Long.MAX_VALUE;
  private Timer.Cancellable idleTimer;
  private Timer.Cancellable pingTimer;
  private Timer.Cancellable expiryTimer;
  private long pingNonce;
  /** Far in the past until the first ping, so the first one is never held back. */
  private long pingSentAt = Long.MIN_VALUE / 4;
  private boolean pingOutstanding;
  private boolean drainCapable;
  private boolean drainAnnounced;

  /**
   * @param id server-assigned, unique among live sessions
   * @param user the authenticated user
   * @param call the session's call
   * @param pingCapable whether the client declared CAPABILITY_PING and the server pings
   * @param credentialsExpireAtEpochMillis when the credentials expire, or {@link Long#MAX_VALUE}
   */
  public Session(String id, User user, CallHandle call, boolean pingCapable, long credentialsExpireAtEpochMillis) {
    this(id, user, call, pingCapable, credentialsExpireAtEpochMillis, Metrics.NOOP);
  }

  /**
   * @param id server-assigned, unique among live sessions
   * @param user the authenticated user
   * @param call the session's call
   * @param pingCapable whether the client declared CAPABILITY_PING and the server pings
   * @param credentialsExpireAtEpochMillis when the credentials expire, or {@link Long#MAX_VALUE}
   * @param metrics what the session's outbox counts
   */
  public Session(String id, User user, CallHandle call, boolean pingCapable, long credentialsExpireAtEpochMillis,
      Metrics metrics) {
    this.id = id;
    this.user = user;
    this.call = call;
    this.pingCapable = pingCapable;
    this.credentialsExpireAtEpochMillis = credentialsExpireAtEpochMillis;
    this.outbox = new Outbox(subscriptions, metrics);
  }

  /** @return the session id */
  public String id() {
    return id;
  }

  @Override
  public User user() {
    return user;
  }

  @Override
  public String userId() {
    return user.getUserId();
  }

  /** @return the call */
  public CallHandle call() {
    return call;
  }

  /** @param response a frame written now, in order with everything else the session is sent */
  public void send(ConnectResponse response) {
    call.send(FrameEncoder.encode(response));
  }

  /** @return whether the session will use server pings */
  public boolean pingCapable() {
    return pingCapable;
  }

  /** Grants CAPABILITY_DRAIN, which the open declared (PRS-DRN-1); call before the room opens the session. */
  public void grantDrain() {
    drainCapable = true;
  }

  /** @return whether the session may be sent {@code draining} */
  public boolean drainCapable() {
    return drainCapable;
  }

  /** @return true the first time only, so a session is told of a drain once (PRS-DRN-4) */
  public boolean markDrainAnnounced() {
    if (drainAnnounced) {
      return false;
    }
    drainAnnounced = true;
    return true;
  }

  /** @return when the credentials expire (wall clock, epoch millis), or {@link Long#MAX_VALUE} */
  public long credentialsExpireAtEpochMillis() {
    return credentialsExpireAtEpochMillis;
  }

  /** @return subscriptions and follows */
  public Subscriptions subscriptions() {
    return subscriptions;
  }

  /** @return live output */
  public Outbox outbox() {
    return outbox;
  }

  /** @return whether the session has ended; readable from any thread */
  public boolean isEnded() {
    return ended;
  }

  /** @return true if this call ended the session, false if it had already ended */
  public boolean markEnded() {
    if (ended) {
      return false;
    }
    ended = true;
    return true;
  }

  /** @return whether {@code opened} was sent */
  public boolean isOpen() {
    return open;
  }

  /** Records that {@code opened} was sent. */
  public void markOpen() {
    open = true;
  }

  @Override
  public EncodedState slot() {
    return slot;
  }

  @Override
  public long slotSequence() {
    return slotSequence;
  }

  /** @param state the new session state, or null @param sequence the room-wide update order */
  public void setSlot(EncodedState state, long sequence) {
    slot = state;
    slotSequence = sequence;
  }

  /** @return a frame waiting for pending membership changes to be flushed, or null */
  public ConnectRequest postponed() {
    return postponed;
  }

  /** @param frame the frame to hold back, or null to clear */
  public void postpone(ConnectRequest frame) {
    postponed = frame;
  }

  /** @return whether the next inbound frame waits for the call to become writable */
  public boolean inboundPaused() {
    return inboundPaused;
  }

  /** @param paused whether the next inbound frame waits for writability */
  public void setInboundPaused(boolean paused) {
    inboundPaused = paused;
  }

  /** @return when the last frame arrived */
  public long lastInboundAt() {
    return lastInboundAt;
  }

  /** @param now when a frame arrived */
  public void touch(long now) {
    lastInboundAt = now;
  }

  /** @return when the frame being processed arrived at the transport, or {@link Long#MAX_VALUE} if unknown */
  public long lastArrivalAt() {
    return lastArrivalAt;
  }

  /** @param at when the frame about to be processed arrived at the transport, on the room clock */
  public void arrived(long at) {
    lastArrivalAt = at;
  }

  /** @param timer the pending idle check */
  public void setIdleTimer(Timer.Cancellable timer) {
    idleTimer = timer;
  }

  /** @param timer the pending ping task */
  public void setPingTimer(Timer.Cancellable timer) {
    pingTimer = timer;
  }

  /** @param timer the pending credential expiry */
  public void setExpiryTimer(Timer.Cancellable timer) {
    expiryTimer = timer;
  }

  /** @return whether a ping is unanswered */
  public boolean pingOutstanding() {
    return pingOutstanding;
  }

  /** @return when the unanswered ping was sent */
  public long pingSentAt() {
    return pingSentAt;
  }

  /** @param now send time @return the nonce of the new outstanding ping */
  public long startPing(long now) {
    pingOutstanding = true;
    pingSentAt = now;
    return ++pingNonce;
  }

  /** @param nonce a pong's nonce */
  public void pongReceived(long nonce) {
    if (pingOutstanding && nonce == pingNonce) {
      pingOutstanding = false;
    }
  }

  /** Stops the session's timers; called once when it ends. */
  public void cancelTimers() {
    if (idleTimer != null) {
      idleTimer.cancel();
    }
    if (pingTimer != null) {
      pingTimer.cancel();
    }
    if (expiryTimer != null) {
      expiryTimer.cancel();
    }
  }

  @Override
  public String toString() {
    return "session=" + id;
  }
}
