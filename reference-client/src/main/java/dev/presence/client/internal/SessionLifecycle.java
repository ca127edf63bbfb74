package dev.presence.client.internal;

import dev.presence.client.ConnectionListener;
import dev.presence.client.ConnectionState;
import dev.presence.client.PresenceClient;
import dev.presence.client.PresenceException;
import dev.presence.client.Subscription;
import dev.presence.client.internal.RetryPolicy.Retry;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one session open for as long as the client lives: opens it, reopens it after an unexpected end as the
 * retry table says (PRS-RCN-3..5, {@link RetryPolicy}, {@link RetryPlanner}), replaces it before its credentials
 * expire (PRS-RCN-6, RCN-7, with {@link CredentialRefresh}), moves it off a draining server (PRS-DRN-6..9, also
 * with {@link CredentialRefresh}), abandons a server that stopped answering
 * (PRS-LIV-9), and reports the connection state. What the frames of a session mean is the {@link Protocol}'s
 * business.
 *
 * <p>Only the {@code current} session's frames reach the application; the sessions a credential refresh opens
 * and retires are the {@link CredentialRefresh}'s.
 *
 * <p>All mutable state is guarded by the client lock given to the constructor; the protocol and the refresh are
 * called under it. Opening attempts run on the client timer, which takes the lock after the token supplier returned.
 */
final class SessionLifecycle implements SessionCall.Events {
  private static final Logger log = LoggerFactory.getLogger(SessionLifecycle.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The protocol side of the client; every method runs under the client lock. */
  interface Protocol {
    /**
     * A session was accepted; bring the server up to date with what the application set up.
     *
     * @param after actions to run once the lock is released, such as completing futures
     */
    void onOpened(SessionCall call, Opened opened, List<Runnable> after);

    /** A frame of the current session other than {@code opened}, {@code ping} and {@code pong}. */
    void onFrame(SessionCall call, ConnectResponse frame, List<Runnable> after);

    /** The current session ended or was replaced; another one follows unless the client stops. */
    void onSessionLost();

    /** The client stops for good: fail whatever still waits, end every subscription. */
    void onStopped(PresenceException cause, List<Runnable> after);
  }

  /** A token the server refused with UNAUTHENTICATED, and the error to report if no other token comes. */
  private record Rejected(String token, PresenceException error) {}

  private final ClientConfig config;
  private final Object lock;
  private final Protocol protocol;
  private final PresenceClient client;
  private final CallbackDispatcher dispatcher;
  private final ListenerRegistry<ConnectionListener> connectionListeners;
  private final ClientChannel channel;
  private final ScheduledExecutorService timer;
  private final RetryPlanner planner;
  private final CredentialRefresh refresh;
  private final CompletableFuture<PresenceClient> connectFuture = new CompletableFuture<>();

  // Guarded by lock. stopped: no more protocol activity (close() or a fatal error); closeCalled: close() ran.
  private boolean started;
  private boolean stopped;
  private boolean closeCalled;
  private ConnectionState state = ConnectionState.CONNECTING;
  private boolean everOpened;
  private ServerLimits lastLimits = ServerLimits.UNADVERTISED;
  private SessionCall current;
  private ScheduledFuture<?> reconnectTask;

  SessionLifecycle(ClientConfig config, Object lock, Protocol protocol, PresenceClient client,
      CallbackDispatcher dispatcher) {
    this.config = config;
    this.lock = lock;
    this.protocol = protocol;
    this.client = client;
    this.dispatcher = dispatcher;
    this.connectionListeners = new ListenerRegistry<>(dispatcher);
    if (config.connectionListener() != null) {
      connectionListeners.register(config.connectionListener());
    }
    this.channel = new ClientChannel(config);
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("presence-client-timer"));
    this.planner = new RetryPlanner(new Backoff(config.initialBackoff(), config.maxBackoff(),
        () -> ThreadLocalRandom.current().nextDouble()), config.tokens() != null);
    this.refresh = new CredentialRefresh(lock, timer, this::fetchCredentials, this::now, new RefreshedSessions());
  }

  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  static PresenceException closedException() {
    return new PresenceException("CLIENT_CLOSED", "the client was closed", true, null);
  }

  CompletableFuture<PresenceClient> connect() {
    synchronized (lock) {
      if (stopped) {
        // Whoever stopped the client completes the future, with its own reason.
        return connectFuture;
      }
      if (!started) {
        started = true;
        notifyLocked(ConnectionState.CONNECTING, null);
        reconnectTask = timer.schedule(() -> attempt(null), 0, TimeUnit.MILLISECONDS);
      }
    }
    return connectFuture;
  }

  ConnectionState state() {
    synchronized (lock) {
      return state;
    }
  }

  Subscription onConnectionState(ConnectionListener listener) {
    return connectionListeners.register(listener);
  }

  /** Under the lock: whether the client stopped, so that nothing more may be sent or delivered. */
  boolean isStopped() {
    return stopped;
  }

  /** Under the lock: the current session if it is open, else null (frames then wait for the next one). */
  SessionCall openSession() {
    SessionCall s = current;
    return s != null && s.isOpened() ? s : null;
  }

  /**
   * Schedules a task on the client's timer to run under the lock, unless the client has stopped by then.
   *
   * @return a handle that cancels the task
   */
  UpdateThrottle.Cancellable scheduleUnderLock(Runnable task, long delayMillis) {
    ScheduledFuture<?> f = scheduleLocked(task, delayMillis);
    return f == null ? () -> { } : () -> f.cancel(false);
  }

  private ScheduledFuture<?> scheduleLocked(Runnable task, long delayMillis) {
    try {
      return timer.schedule(() -> {
        synchronized (lock) {
          if (!stopped) {
            task.run();
          }
        }
      }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private void bindLocked(SessionCall s, Runnable task, long delayMillis) {
    ScheduledFuture<?> f = scheduleLocked(task, delayMillis);
    if (f != null) {
      s.addTimer(f);
    }
  }

  /** Leaves the room, stops every activity and releases the channel and timer; idempotent. */
  void close() {
    List<Runnable> after = new ArrayList<>();
    ConnectionState previous;
    synchronized (lock) {
      if (closeCalled) {
        return;
      }
      closeCalled = true;
      previous = state;
      if (!stopped) {
        stopped = true;
        state = ConnectionState.CLOSED;
        if (reconnectTask != null) {
          reconnectTask.cancel(false);
        }
        leaveAllLocked();
        protocol.onStopped(closedException(), after);
      }
    }
    after.forEach(Runnable::run);
    connectFuture.completeExceptionally(closedException());
    // A fatal error already told the listeners CLOSED; nobody hears it twice.
    dispatcher.closeNow(() -> {
      if (previous != ConnectionState.CLOSED) {
        connectionListeners.callNow(l -> l.onConnectionState(ConnectionState.CLOSED, null));
      }
    });
    releaseResources();
  }

  private void leaveAllLocked() {
    if (current != null) {
      current.stopTimers();
      current.leave();
      current = null;
    }
    refresh.leaveAllLocked();
  }

  private void releaseResources() {
    timer.shutdownNow();
    channel.release();
  }

  private long now() {
    return config.clock().millis();
  }

  // Runs on the timer thread so that the application's token supplier never runs under the lock.
  private void attempt(Rejected rejected) {
    List<Runnable> after = new ArrayList<>();
    Credentials credentials;
    try {
      credentials = fetchCredentials();
    } catch (RuntimeException e) {
      log.warn("token supplier failed; retrying with backoff", e);
      synchronized (lock) {
        if (!stopped) {
          scheduleAttemptLocked(planner.next(Retry.BACKOFF, now()).delayMillis(), null, e, false);
        }
      }
      return;
    }
    synchronized (lock) {
      if (stopped) {
        return;
      }
      reconnectTask = null;
      if (rejected != null && Objects.equals(rejected.token(), credentials.token())) {
        // PRS-RCN-3: UNAUTHENTICATED is retried only with new credentials.
        stopLocked(rejected.error(), after);
      } else {
        current = startCallLocked(credentials);
      }
    }
    after.forEach(Runnable::run);
  }

  private Credentials fetchCredentials() {
    return config.tokens() == null ? Credentials.none(now()) : Credentials.of(config.tokens().get(), now());
  }

  private SessionCall startCallLocked(Credentials credentials) {
    SessionCall s = new SessionCall(this, credentials);
    Metadata headers = new Metadata();
    if (credentials.token() != null && !credentials.token().isEmpty()) {
      headers.put(AUTHORIZATION, "Bearer " + credentials.token());
    }
    PresenceServiceGrpc.newStub(channel.get())
        .withMaxInboundMessageSize(lastLimits.inboundFrameBytes())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .connect(s);
    s.send(Frames.open(config));
    // A call that gets no opened within the leave detection bound is as dead as a silent session.
    bindLocked(s, () -> abandonUnopenedLocked(s), lastLimits.leaveDetectionMillis());
    return s;
  }

  private void abandonUnopenedLocked(SessionCall s) {
    if (!s.isOpened() && (s == current || refresh.isReplacementLocked(s))) {
      log.warn("no opened within {} ms; abandoning the call", lastLimits.leaveDetectionMillis());
      s.abandon("no opened");
      channel.dropConnection();
    }
  }

  private void scheduleAttemptLocked(long delayMillis, Rejected rejected, Throwable cause, boolean quiet) {
    if (!quiet) {
      ConnectionState next = everOpened ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING;
      if (next != state) {
        notifyLocked(next, cause);
      }
    }
    log.info("presence session ended ({}); reconnecting in {} ms", CallErrors.describe(cause), delayMillis);
    try {
      reconnectTask = timer.schedule(() -> attempt(rejected), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("timer stopped; not reconnecting", e);
    }
  }

  @Override
  public void onEnded(SessionCall s, Throwable error) {
    List<Runnable> after = new ArrayList<>();
    synchronized (lock) {
      if (stopped) {
        return;
      }
      s.stopTimers();
      if (s == current) {
        onCurrentEndedLocked(s, error, after);
      } else {
        refresh.onOtherEndedLocked(s, error);
      }
    }
    after.forEach(Runnable::run);
  }

  private void onCurrentEndedLocked(SessionCall s, Throwable error, List<Runnable> after) {
    current = null;
    protocol.onSessionLost();
    Status status = error == null ? Status.OK : Status.fromThrowable(error);
    String reason = CallErrors.reasonOf(error);
    Retry retry = RetryPolicy.classify(status.getCode(), reason, s.isLeft());
    SessionCall successor = refresh.successorLocked(s, retry);
    if (successor != null) {
      current = successor;
      return;
    }
    RetryPlanner.Plan plan = planner.next(retry, now());
    PresenceException failure = CallErrors.failureOf(error, status, reason);
    switch (plan.retry()) {
      case NEVER -> stopLocked(failure, after);
      case NEW_CREDENTIALS ->
          scheduleAttemptLocked(0, new Rejected(s.credentials().token(), failure), error, false);
      // PRS-RCN-7: expired credentials are replaced without telling the application, unless that fails.
      case AT_ONCE -> scheduleAttemptLocked(0, null, error, "CREDENTIALS_EXPIRED".equals(reason));
      case BACKOFF -> scheduleAttemptLocked(plan.delayMillis(), null, error, false);
    }
  }

  private void stopLocked(PresenceException cause, List<Runnable> after) {
    stopped = true;
    state = ConnectionState.CLOSED;
    log.warn("presence client stopped: {}", cause.getMessage());
    leaveAllLocked();
    protocol.onStopped(cause, after);
    after.add(() -> connectFuture.completeExceptionally(cause));
    dispatcher.postFinal(
        () -> connectionListeners.callNow(l -> l.onConnectionState(ConnectionState.CLOSED, cause)));
    timer.shutdown();
  }

  @Override
  public void onFrame(SessionCall s, ConnectResponse frame) {
    List<Runnable> after = new ArrayList<>();
    synchronized (lock) {
      if (stopped) {
        return;
      }
      if (s == current) {
        onCurrentFrameLocked(s, frame, after);
      } else {
        refresh.onOtherFrameLocked(s, frame, after);
      }
      if (s.isOpened() && !frame.hasOpened()) {
        s.markHeardAfterOpened();
      }
    }
    after.forEach(Runnable::run);
  }

  private void onCurrentFrameLocked(SessionCall s, ConnectResponse frame, List<Runnable> after) {
    if (s.liveness() != null) {
      s.liveness().heard(now());
    }
    switch (frame.getFrameCase()) {
      case OPENED -> onOpenedLocked(s, frame.getOpened(), after);
      // PRS-LIV-5: answered at once, never behind the update throttle.
      case PING -> s.send(Frames.pong(frame.getPing().getNonce()));
      case PONG -> refresh.onPongLocked(frame.getPong().getNonce());
      case DRAINING -> refresh.onDrainingLocked(s, frame.getDraining().getDeadlineMillis());
      default -> protocol.onFrame(s, frame, after);
    }
  }

  private void onOpenedLocked(SessionCall s, Opened opened, List<Runnable> after) {
    if (s.isOpened()) {
      return;
    }
    ServerLimits limits = ServerLimits.of(opened.getLimits());
    lastLimits = limits;
    s.stopTimers();
    s.markOpened(limits, new LivenessMonitor(limits.leaveDetectionMillis(), now()));
    boolean reopened = everOpened;
    everOpened = true;
    planner.opened(now());
    protocol.onOpened(s, opened, after);
    startLivenessLocked(s);
    refresh.scheduleLocked(s);
    if (state != ConnectionState.CONNECTED) {
      notifyLocked(ConnectionState.CONNECTED, null);
    }
    if (!reopened) {
      after.add(() -> connectFuture.complete(client));
    }
  }

  private void startLivenessLocked(SessionCall s) {
    long interval = s.liveness().checkIntervalMillis();
    try {
      s.addTimer(timer.scheduleWithFixedDelay(() -> checkLiveness(s), interval, interval, TimeUnit.MILLISECONDS));
    } catch (RejectedExecutionException e) {
      log.debug("timer stopped; no liveness checks", e);
    }
  }

  private void checkLiveness(SessionCall s) {
    synchronized (lock) {
      if (stopped || current != s) {
        return;
      }
      LivenessMonitor liveness = s.liveness();
      switch (liveness.check(now())) {
        case PROBE -> s.send(Frames.ping(liveness.nextNonce()));
        case LOST -> {
          log.warn("server did not answer a probe within {} ms; reconnecting", liveness.halfBoundMillis());
          s.abandon("server unresponsive");
          channel.dropConnection();
        }
        case WAIT -> {
          // Heard recently, or the probe still has time.
        }
      }
    }
  }

  /** The lifecycle as the credential refresh sees it; runs under the lock, as the refresh's methods do. */
  private final class RefreshedSessions implements CredentialRefresh.Sessions {
    @Override
    public boolean isStopped() {
      return stopped;
    }

    @Override
    public SessionCall current() {
      return current;
    }

    @Override
    public SessionCall start(Credentials credentials) {
      return startCallLocked(credentials);
    }

    @Override
    public SessionCall startOnNewConnection(Credentials credentials) {
      channel.dropConnection();
      return startCallLocked(credentials);
    }

    @Override
    public void handOver(SessionCall next, Opened opened, List<Runnable> after) {
      current.stopTimers();
      protocol.onSessionLost();
      current = next;
      onOpenedLocked(next, opened, after);
    }
  }

  private void notifyLocked(ConnectionState next, Throwable cause) {
    state = next;
    connectionListeners.post(l -> l.onConnectionState(next, cause));
  }
}
