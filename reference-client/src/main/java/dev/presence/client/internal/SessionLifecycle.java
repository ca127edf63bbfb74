package dev.presence.client.internal;

import com.google.rpc.ErrorInfo;
import dev.presence.client.ConnectionListener;
import dev.presence.client.ConnectionState;
import dev.presence.client.PresenceClient;
import dev.presence.client.PresenceException;
import dev.presence.client.Subscription;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
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
 * Keeps exactly one session open for as long as the client lives: opens it, reopens it after an unexpected end
 * with exponential backoff and full jitter (PRS-RCN-1), stops for good on errors that retrying cannot fix,
 * abandons a server that stopped answering, and reports the connection state. What the frames of a session mean
 * is the {@link Protocol}'s business.
 *
 * <p>All mutable state is guarded by the client lock given to the constructor; the protocol is called under it.
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

    /** A frame of the current session other than {@code opened} and {@code ping}. */
    void onFrame(SessionCall call, ConnectResponse frame, List<Runnable> after);

    /** The current session ended; another one follows unless the client stops. */
    void onSessionLost();

    /** The client stops for good: fail whatever still waits, end every subscription. */
    void onStopped(PresenceException cause, List<Runnable> after);
  }

  private final ClientConfig config;
  private final Object lock;
  private final Protocol protocol;
  private final PresenceClient client;
  private final CallbackDispatcher dispatcher;
  private final ListenerRegistry<ConnectionListener> connectionListeners;
  private final ClientChannel channel;
  private final ScheduledExecutorService timer;
  private final Backoff backoff;
  private final CompletableFuture<PresenceClient> connectFuture = new CompletableFuture<>();

  // Guarded by lock. stopped: no more protocol activity (close() or a fatal error); closeCalled: close() ran.
  private boolean started;
  private boolean stopped;
  private boolean closeCalled;
  private ConnectionState state = ConnectionState.CONNECTING;
  private boolean everOpened;
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
    this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(),
        () -> ThreadLocalRandom.current().nextDouble());
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
        reconnectTask = timer.schedule(this::attempt, 0, TimeUnit.MILLISECONDS);
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
    try {
      ScheduledFuture<?> f = timer.schedule(() -> {
        synchronized (lock) {
          if (!stopped) {
            task.run();
          }
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> { };
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
        SessionCall s = current;
        current = null;
        if (s != null) {
          s.stopLiveness();
          s.leave();
        }
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

  private void releaseResources() {
    timer.shutdownNow();
    channel.release();
  }

  // Runs on the timer thread so that the application's token supplier never runs under the lock.
  private void attempt() {
    String token = null;
    if (config.token() != null) {
      try {
        token = config.token().get();
      } catch (RuntimeException e) {
        log.warn("token supplier failed; retrying with backoff", e);
        synchronized (lock) {
          if (!stopped) {
            scheduleReconnectLocked(e);
          }
        }
        return;
      }
    }
    Metadata headers = new Metadata();
    if (token != null && !token.isEmpty()) {
      headers.put(AUTHORIZATION, "Bearer " + token);
    }
    synchronized (lock) {
      if (stopped) {
        return;
      }
      reconnectTask = null;
      SessionCall s = new SessionCall(this);
      current = s;
      PresenceServiceGrpc.newStub(channel.get())
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .connect(s);
      s.send(Frames.open(config));
    }
  }

  private void scheduleReconnectLocked(Throwable cause) {
    ConnectionState next = everOpened ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING;
    if (next != state) {
      notifyLocked(next, cause);
    }
    long delay = backoff.nextDelayMillis();
    log.info("presence session ended ({}); reconnecting in {} ms", describe(cause), delay);
    try {
      reconnectTask = timer.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("timer stopped; not reconnecting", e);
    }
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "completed";
    }
    Status s = Status.fromThrowable(t);
    return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
  }

  @Override
  public void onEnded(SessionCall s, Throwable error) {
    List<Runnable> after = new ArrayList<>();
    synchronized (lock) {
      if (stopped || current != s) {
        return;
      }
      current = null;
      s.stopLiveness();
      protocol.onSessionLost();
      Status status = error == null ? Status.OK : Status.fromThrowable(error);
      if (error != null && !isRetryable(status.getCode())) {
        stopLocked(fatalException(error, status), after);
      } else {
        scheduleReconnectLocked(error);
      }
    }
    after.forEach(Runnable::run);
  }

  static boolean isRetryable(Status.Code code) {
    // PRS-RCN-1: these need new input from the application; retrying cannot fix them.
    return switch (code) {
      case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, FAILED_PRECONDITION -> false;
      default -> true;
    };
  }

  private static PresenceException fatalException(Throwable error, Status status) {
    String reason = status.getCode().name();
    com.google.rpc.Status details = StatusProto.fromThrowable(error);
    if (details != null) {
      for (com.google.protobuf.Any any : details.getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          try {
            reason = any.unpack(ErrorInfo.class).getReason();
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            log.debug("unreadable ErrorInfo", e);
          }
        }
      }
    }
    String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
    return new PresenceException(reason, message, true, error);
  }

  private void stopLocked(PresenceException cause, List<Runnable> after) {
    stopped = true;
    state = ConnectionState.CLOSED;
    log.warn("presence client stopped: {}", cause.getMessage());
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
      if (stopped || current != s) {
        return;
      }
      LivenessMonitor liveness = s.liveness();
      if (liveness != null) {
        liveness.heard(config.clock().millis());
      }
      switch (frame.getFrameCase()) {
        case OPENED -> onOpenedLocked(s, frame.getOpened(), after);
        case PING -> s.send(Frames.pong(frame.getPing().getNonce()));
        default -> protocol.onFrame(s, frame, after);
      }
    }
    after.forEach(Runnable::run);
  }

  private void onOpenedLocked(SessionCall s, Opened opened, List<Runnable> after) {
    if (s.isOpened()) {
      return;
    }
    s.markOpened(new LivenessMonitor(opened.getLimits().getLeaveDetectionMillis(), config.clock().millis()));
    boolean reopened = everOpened;
    everOpened = true;
    backoff.reset();
    protocol.onOpened(s, opened, after);
    startLivenessLocked(s);
    notifyLocked(ConnectionState.CONNECTED, null);
    if (!reopened) {
      after.add(() -> connectFuture.complete(client));
    }
  }

  private void startLivenessLocked(SessionCall s) {
    long interval = s.liveness().checkIntervalMillis();
    try {
      s.setLivenessTask(
          timer.scheduleWithFixedDelay(() -> checkLiveness(s), interval, interval, TimeUnit.MILLISECONDS));
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
      switch (liveness.check(config.clock().millis())) {
        case PING -> s.send(Frames.ping(liveness.nextNonce()));
        case ABANDON -> {
          log.warn("server did not answer a ping within {} ms; reconnecting", liveness.detectionMillis());
          s.abandon("server unresponsive");
        }
        case WAIT -> {
          // Heard recently, or the ping still has time.
        }
      }
    }
  }

  private void notifyLocked(ConnectionState next, Throwable cause) {
    state = next;
    connectionListeners.post(l -> l.onConnectionState(next, cause));
  }
}
