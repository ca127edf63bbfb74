package dev.presence.client.internal;

import com.google.protobuf.Struct;
import com.google.rpc.ErrorInfo;
import dev.presence.client.ConnectionListener;
import dev.presence.client.ConnectionState;
import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.Presence;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.PresenceException;
import dev.presence.client.PresenceListener;
import dev.presence.client.State;
import dev.presence.client.Subscription;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import dev.presence.client.Users;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ClearState;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.FollowedUsers;
import dev.presence.protocol.v1.Leave;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import dev.presence.protocol.v1.ProtocolError;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.Unfollow;
import dev.presence.protocol.v1.Unsubscribe;
import dev.presence.protocol.v1.UpdateState;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence.v1 client. One lock guards all protocol state; inbound frames, timers and API calls take it
 * briefly and never block under it. Callbacks are queued under the lock onto a {@link SerialExecutor}, which
 * keeps them in server order, and run under a separate gate so that closing can wait out a running callback.
 */
public final class RealPresenceClient implements PresenceClient {
  private static final Logger log = LoggerFactory.getLogger(RealPresenceClient.class);
  static final long DEFAULT_WINDOW_MILLIS = 50;
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ClientConfig config;
  private final Object lock = new Object();
  // Held while a callback runs; lock order is gate then lock, never the reverse.
  private final Object gate = new Object();
  private final Channel channel;
  private final ManagedChannel ownedChannel;
  private final ScheduledExecutorService timer;
  private final ExecutorService ownedCallbackThread;
  private final SerialExecutor callbacks;
  private final UpdateThrottle<Struct> throttle;
  private final Backoff backoff;
  private final CopyOnWriteArrayList<Registration<ConnectionListener>> connectionListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Registration<MembershipListener>> membershipListeners =
      new CopyOnWriteArrayList<>();
  private final CompletableFuture<PresenceClient> connectFuture = new CompletableFuture<>();
  private final RealPresence presence = new RealPresence();
  private final RealUsers users = new RealUsers();

  // Everything below is guarded by lock.
  private boolean started;
  // closed: no more protocol activity (close() or a fatal error); closeCalled: resources released.
  private boolean closed;
  private boolean closeCalled;
  private ConnectionState connectionState = ConnectionState.CONNECTING;
  private boolean everOpened;
  private long sessionGeneration;
  private Session session;
  private ScheduledFuture<?> reconnectTask;
  private volatile String selfUserId;
  private Limits limits = Limits.getDefaultInstance();
  private Struct ownState;
  private long nextRequestId = 1;
  private long nextSubscriptionNumber = 1;
  private final Map<String, Sub> subs = new LinkedHashMap<>();
  private final Set<String> desiredFollows = new LinkedHashSet<>();
  private final Set<String> confirmedFollows = new HashSet<>();
  private final Map<Long, PendingOp> pendingOps = new HashMap<>();
  private final List<PendingOp> unsentOps = new ArrayList<>();
  private final Map<String, RealUser> members = new LinkedHashMap<>();
  private final Map<String, State> latest = new HashMap<>();

  // Written under gate.
  private volatile boolean callbacksClosed;

  /**
   * Creates a client; use {@link PresenceClient#builder()}.
   *
   * @param config the settings
   */
  public RealPresenceClient(ClientConfig config) {
    this.config = config;
    if (config.channel() != null) {
      this.channel = config.channel();
      this.ownedChannel = null;
    } else {
      this.ownedChannel = Grpc.newChannelBuilder(config.target(), channelCredentials(config)).build();
      this.channel = ownedChannel;
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("presence-client-timer"));
    if (config.callbackExecutor() != null) {
      this.ownedCallbackThread = null;
      this.callbacks = new SerialExecutor(config.callbackExecutor());
    } else {
      this.ownedCallbackThread = Executors.newSingleThreadExecutor(daemon("presence-client-callbacks"));
      this.callbacks = new SerialExecutor(ownedCallbackThread);
    }
    this.throttle = new UpdateThrottle<>(DEFAULT_WINDOW_MILLIS, () -> config.clock().millis(),
        this::scheduleLocked, this::sendUpdateLocked);
    this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(),
        () -> ThreadLocalRandom.current().nextDouble());
    if (config.connectionListener() != null) {
      connectionListeners.add(new Registration<>(config.connectionListener(), connectionListeners));
    }
  }

  private static ChannelCredentials channelCredentials(ClientConfig config) {
    if (!config.tls()) {
      return InsecureChannelCredentials.create();
    }
    if (config.trustedCertificates() == null) {
      return TlsChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder().trustManager(config.trustedCertificates().toFile()).build();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read trusted certificates", e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public CompletableFuture<PresenceClient> connect() {
    synchronized (lock) {
      if (closed) {
        // Whoever closed the client completes the future, with its own reason.
        return connectFuture;
      }
      if (!started) {
        started = true;
        notifyConnectionLocked(ConnectionState.CONNECTING, null);
        reconnectTask = timer.schedule(this::attempt, 0, TimeUnit.MILLISECONDS);
      }
    }
    return connectFuture;
  }

  @Override
  public String userId() {
    return selfUserId;
  }

  @Override
  public Presence presence() {
    return presence;
  }

  @Override
  public Users users() {
    return users;
  }

  @Override
  public ConnectionState connectionState() {
    synchronized (lock) {
      return connectionState;
    }
  }

  @Override
  public Subscription onConnectionState(ConnectionListener listener) {
    Registration<ConnectionListener> r = new Registration<>(listener, connectionListeners);
    connectionListeners.add(r);
    return r;
  }

  @Override
  public void close() {
    List<Runnable> after = new ArrayList<>();
    ConnectionState previous;
    synchronized (lock) {
      if (closeCalled) {
        return;
      }
      closeCalled = true;
      previous = connectionState;
      if (!closed) {
        closed = true;
        teardownLocked(after);
      }
    }
    after.forEach(Runnable::run);
    connectFuture.completeExceptionally(closedException());
    synchronized (gate) {
      boolean deliver = !callbacksClosed && previous != ConnectionState.CLOSED;
      callbacksClosed = true;
      if (deliver) {
        for (Registration<ConnectionListener> r : connectionListeners) {
          if (r.active) {
            runCallback(() -> r.listener.onConnectionState(ConnectionState.CLOSED, null));
          }
        }
      }
    }
    releaseResources();
  }

  private void teardownLocked(List<Runnable> after) {
    connectionState = ConnectionState.CLOSED;
    if (reconnectTask != null) {
      reconnectTask.cancel(false);
    }
    Session s = session;
    session = null;
    sessionGeneration++;
    throttle.reset();
    if (s != null) {
      s.stopLiveness();
      try {
        if (s.opened) {
          s.requests.onNext(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
          s.requests.onCompleted();
        } else {
          // Nothing to leave yet; a half-close without open would only earn an OPEN_REQUIRED error.
          s.requests.cancel("client closed", null);
        }
      } catch (RuntimeException e) {
        log.debug("stream already ended while leaving", e);
      }
    }
    failAllOpsLocked(closedException(), after);
    for (Sub sub : subs.values()) {
      sub.active = false;
    }
    subs.clear();
  }

  private void releaseResources() {
    timer.shutdownNow();
    if (ownedCallbackThread != null) {
      ownedCallbackThread.shutdown();
    }
    if (ownedChannel != null) {
      ownedChannel.shutdown();
      try {
        if (!ownedChannel.awaitTermination(1, TimeUnit.SECONDS)) {
          ownedChannel.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedChannel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static PresenceException closedException() {
    return new PresenceException("CLIENT_CLOSED", "the client was closed", true, null);
  }

  /** Opens one session; runs on the timer thread so that the token supplier never runs under the lock. */
  private void attempt() {
    String token = null;
    if (config.token() != null) {
      try {
        token = config.token().get();
      } catch (RuntimeException e) {
        log.warn("token supplier failed; retrying with backoff", e);
        synchronized (lock) {
          if (!closed) {
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
      if (closed) {
        return;
      }
      reconnectTask = null;
      long gen = ++sessionGeneration;
      Session s = new Session(gen);
      session = s;
      PresenceServiceGrpc.PresenceServiceStub stub = PresenceServiceGrpc.newStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      stub.connect(s);
      Open.Builder open = Open.newBuilder()
          .setRoomId(config.roomId())
          .setProtocolVersion(1)
          .addCapabilities(Capability.CAPABILITY_PING)
          .setClientAgent(config.clientAgent());
      if (config.devUserId() != null) {
        open.setDevUserId(config.devUserId()).setDevDisplayName(config.devDisplayName());
      }
      s.send(ConnectRequest.newBuilder().setOpen(open).build());
    }
  }

  private void scheduleReconnectLocked(Throwable cause) {
    ConnectionState next = everOpened ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING;
    if (next != connectionState) {
      notifyConnectionLocked(next, cause);
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

  private void onSessionEnded(Session s, Throwable error) {
    List<Runnable> after = new ArrayList<>();
    synchronized (lock) {
      if (closed || session != s) {
        return;
      }
      session = null;
      s.stopLiveness();
      throttle.reset();
      // Requests in flight are re-issued on the next session (see onOpenedLocked).
      unsentOps.addAll(pendingOps.values());
      pendingOps.clear();
      Status status = error == null ? Status.OK : Status.fromThrowable(error);
      if (error != null && !isRetryable(status.getCode())) {
        terminateLocked(fatalException(error, status), after);
      } else {
        scheduleReconnectLocked(error);
      }
    }
    after.forEach(Runnable::run);
  }

  private static boolean isRetryable(Status.Code code) {
    // PRS-RCN-1: these need new input from the application, retrying cannot fix them.
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

  private void terminateLocked(PresenceException cause, List<Runnable> after) {
    closed = true;
    connectionState = ConnectionState.CLOSED;
    log.warn("presence client stopped: {}", cause.getMessage());
    failAllOpsLocked(cause, after);
    after.add(() -> connectFuture.completeExceptionally(cause));
    post(() -> {
      for (Registration<ConnectionListener> r : connectionListeners) {
        if (r.active) {
          runCallback(() -> r.listener.onConnectionState(ConnectionState.CLOSED, cause));
        }
      }
      // CLOSED is the last call any listener gets.
      callbacksClosed = true;
    });
    for (Sub sub : subs.values()) {
      sub.active = false;
    }
    subs.clear();
    timer.shutdown();
  }

  private void failAllOpsLocked(PresenceException cause, List<Runnable> after) {
    List<PendingOp> all = new ArrayList<>(pendingOps.values());
    all.addAll(unsentOps);
    pendingOps.clear();
    unsentOps.clear();
    for (PendingOp op : all) {
      for (CompletableFuture<Void> f : op.futures) {
        after.add(() -> f.completeExceptionally(cause));
      }
    }
  }

  // ---------------------------------------------------------------- inbound

  private void onFrame(Session s, ConnectResponse frame) {
    List<Runnable> after = new ArrayList<>();
    synchronized (lock) {
      if (closed || session != s) {
        return;
      }
      // Any frame proves the server is alive, whether or not it is the pong we asked for.
      s.lastInboundAt = config.clock().millis();
      s.pingSentAt = 0;
      switch (frame.getFrameCase()) {
        case OPENED -> onOpenedLocked(s, frame.getOpened(), after);
        case PRESENCE -> {
          for (PresenceEvent e : frame.getPresence().getEventsList()) {
            onEventLocked(e);
          }
        }
        case SNAPSHOT_COMPLETE -> onSnapshotCompleteLocked(frame.getSnapshotComplete().getSubscriptionId(),
            frame.getSnapshotComplete().getRequestId());
        case MEMBER_JOINED -> {
          RealUser u = new RealUser(frame.getMemberJoined().getUser().getUserId(),
              frame.getMemberJoined().getUser().getDisplayName());
          members.put(u.id, u);
          postMembership(l -> l.onJoined(u));
        }
        case MEMBER_LEFT -> {
          RealUser u = members.remove(frame.getMemberLeft().getUserId());
          RealUser left = u != null ? u : new RealUser(frame.getMemberLeft().getUserId(), "");
          NullReason reason = toReason(frame.getMemberLeft().getReason());
          postMembership(l -> l.onLeft(left, reason));
        }
        case ACK -> onAckLocked(frame.getAck().getRequestId(), after);
        case ERROR -> onProtocolErrorLocked(frame.getError(), after);
        case PING -> s.send(ConnectRequest.newBuilder()
            .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce())).build());
        default -> {
          // PRS-EVO-3: frames of unknown kinds (and pongs we never asked for) are ignored.
        }
      }
    }
    after.forEach(Runnable::run);
  }

  private void onOpenedLocked(Session s, Opened opened, List<Runnable> after) {
    if (s.opened) {
      return;
    }
    s.opened = true;
    boolean reopened = everOpened;
    everOpened = true;
    backoff.reset();
    selfUserId = opened.getSelf().getUserId();
    limits = opened.getLimits();
    long window = limits.getThrottleWindowMillis() == 0 ? DEFAULT_WINDOW_MILLIS : limits.getThrottleWindowMillis();
    throttle.setWindowMillis(window);

    // Directory: report only what changed while we were away.
    Map<String, RealUser> fresh = new LinkedHashMap<>();
    for (dev.presence.protocol.v1.User u : opened.getMembersList()) {
      fresh.put(u.getUserId(), new RealUser(u.getUserId(), u.getDisplayName()));
    }
    for (RealUser old : new ArrayList<>(members.values())) {
      if (!fresh.containsKey(old.id)) {
        members.remove(old.id);
        postMembership(l -> l.onLeft(old, NullReason.UNKNOWN));
      }
    }
    for (RealUser u : fresh.values()) {
      RealUser old = members.put(u.id, u);
      if (old == null) {
        postMembership(l -> l.onJoined(u));
      }
    }

    if (ownState != null) {
      s.send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(ownState)).build());
      throttle.markSent();
    } else {
      throttle.reset();
    }

    // Follows first, so that the restored 'following' subscriptions see the whole follow set in their snapshot.
    confirmedFollows.clear();
    Map<String, PendingOp> restored = new HashMap<>();
    for (String user : desiredFollows) {
      PendingOp op = new PendingOp(user, true);
      long id = nextRequestId++;
      pendingOps.put(id, op);
      restored.put(user, op);
      s.send(ConnectRequest.newBuilder().setRequestId(id).setFollow(Follow.newBuilder().setUserId(user)).build());
    }
    for (PendingOp old : unsentOps) {
      PendingOp replacement = old.follow ? restored.get(old.userId) : null;
      if (replacement != null) {
        replacement.futures.addAll(old.futures);
      } else {
        // The new session starts with an empty follow set, which is what an unfollow asked for, and a follow
        // superseded by a later unfollow is settled too.
        for (CompletableFuture<Void> f : old.futures) {
          after.add(() -> f.complete(null));
        }
      }
    }
    unsentOps.clear();

    for (Sub sub : subs.values()) {
      sub.confirmed = false;
      sub.resyncing = true;
      sub.resyncSeen.clear();
      sendSubscribeLocked(s, sub);
    }

    startLivenessLocked(s);
    notifyConnectionLocked(ConnectionState.CONNECTED, null);
    if (!reopened) {
      after.add(() -> connectFuture.complete(this));
    }
  }

  /**
   * Detects a server that stopped answering, since nothing else would: after half of leave_detection_millis of
   * silence the client pings (PRS-LIV-3 makes the server answer at once), and if nothing arrives within
   * leave_detection_millis of that ping the session is cancelled and reopened.
   */
  private void startLivenessLocked(Session s) {
    long detection = livenessDetectionMillis();
    long interval = Math.max(10, Math.min(5_000, detection / 2));
    try {
      s.liveness = timer.scheduleWithFixedDelay(() -> checkLiveness(s), interval, interval, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("timer stopped; no liveness checks", e);
    }
  }

  private long livenessDetectionMillis() {
    int advertised = limits.getLeaveDetectionMillis();
    return advertised > 0 ? advertised : 10_000;
  }

  private void checkLiveness(Session s) {
    synchronized (lock) {
      if (closed || session != s) {
        return;
      }
      long now = config.clock().millis();
      long detection = livenessDetectionMillis();
      if (s.pingSentAt != 0) {
        if (now - s.pingSentAt >= detection) {
          log.warn("server did not answer a ping within {} ms; reconnecting", detection);
          s.requests.cancel("server unresponsive", null);
        }
        return;
      }
      if (now - s.lastInboundAt >= Math.max(10, Math.min(5_000, detection / 2))) {
        s.pingSentAt = now;
        s.send(ConnectRequest.newBuilder()
            .setPing(dev.presence.protocol.v1.Ping.newBuilder().setNonce(++s.pingNonce)).build());
      }
    }
  }

  private void sendSubscribeLocked(Session s, Sub sub) {
    long id = nextRequestId++;
    sub.subscribeRequestId = id;
    s.send(ConnectRequest.newBuilder()
        .setRequestId(id)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId(sub.id).setTarget(toWire(sub.target)))
        .build());
  }

  private static dev.presence.protocol.v1.SyncTarget toWire(SyncTarget t) {
    return switch (t.kind()) {
      case ALL -> dev.presence.protocol.v1.SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()).build();
      case FOLLOWING -> dev.presence.protocol.v1.SyncTarget.newBuilder()
          .setFollowedUsers(FollowedUsers.getDefaultInstance()).build();
      case USER -> dev.presence.protocol.v1.SyncTarget.newBuilder().setUserId(t.userId()).build();
    };
  }

  private void onEventLocked(PresenceEvent e) {
    String user = e.getUserId();
    State state = e.hasState() ? State.of(e.getState()) : null;
    NullReason reason = state == null ? toReason(e.getNullReason()) : null;
    if (e.getSubscriptionIdsCount() > 0) {
      // PRS-EVT-4: tagged events go to the named subscriptions only, whatever their targets.
      for (String id : e.getSubscriptionIdsList()) {
        Sub sub = subs.get(id);
        if (sub != null && sub.active) {
          if (sub.resyncing) {
            sub.resyncSeen.add(user);
          }
          applyLocked(sub, user, state, reason);
        }
      }
    } else {
      // PRS-EVT-3: live events go by confirmed target and confirmed follow set.
      for (Sub sub : subs.values()) {
        if (sub.active && sub.confirmed && coversLocked(sub.target, user)) {
          applyLocked(sub, user, state, reason);
        }
      }
    }
    if (state != null && heldByAnyLocked(user)) {
      latest.put(user, state);
    } else if (state == null) {
      pruneLocked(user);
    }
  }

  private boolean coversLocked(SyncTarget target, String user) {
    return switch (target.kind()) {
      case ALL -> true;
      case FOLLOWING -> confirmedFollows.contains(user);
      case USER -> target.userId().equals(user);
    };
  }

  private void applyLocked(Sub sub, String user, State state, NullReason reason) {
    if (state != null) {
      State previous = sub.held.put(user, state);
      if (state.equals(previous)) {
        // Nothing changed for this listener, e.g. the same state in a snapshot after a reconnect.
        return;
      }
      PresenceChange change = new PresenceChange(user, state, null);
      post(() -> deliver(sub, change));
    } else {
      // PRS-EVT-8: a null only for a user this subscription holds a state for.
      if (sub.held.remove(user) == null) {
        return;
      }
      PresenceChange change = new PresenceChange(user, null, reason);
      post(() -> deliver(sub, change));
    }
  }

  private void onSnapshotCompleteLocked(String subscriptionId, long requestId) {
    Sub sub = subs.get(subscriptionId);
    if (sub == null || !sub.active) {
      return;
    }
    if (requestId != 0 && requestId != sub.subscribeRequestId) {
      return;
    }
    sub.confirmed = true;
    if (sub.resyncing) {
      sub.resyncing = false;
      // PRS-RCN-2: whoever we held but the new snapshot lacks went away while we were disconnected.
      for (String user : new ArrayList<>(sub.held.keySet())) {
        if (!sub.resyncSeen.contains(user)) {
          NullReason reason = members.containsKey(user) ? NullReason.CLEARED : NullReason.LEFT;
          applyLocked(sub, user, null, reason);
          pruneLocked(user);
        }
      }
      sub.resyncSeen.clear();
    }
  }

  private void onAckLocked(long requestId, List<Runnable> after) {
    PendingOp op = pendingOps.remove(requestId);
    if (op == null) {
      return;
    }
    if (op.follow) {
      confirmedFollows.add(op.userId);
    } else {
      confirmedFollows.remove(op.userId);
    }
    for (CompletableFuture<Void> f : op.futures) {
      after.add(() -> f.complete(null));
    }
  }

  private void onProtocolErrorLocked(ProtocolError error, List<Runnable> after) {
    String reason = error.getReason().name().replaceFirst("^ERROR_REASON_", "");
    PresenceException ex = new PresenceException(reason, error.getMessage(), false, null);
    PendingOp op = pendingOps.remove(error.getRequestId());
    if (error.getRequestId() != 0 && op != null) {
      if (op.follow) {
        desiredFollows.remove(op.userId);
      }
      for (CompletableFuture<Void> f : op.futures) {
        after.add(() -> f.completeExceptionally(ex));
      }
      return;
    }
    Sub refused = null;
    for (Sub sub : subs.values()) {
      if ((error.getRequestId() != 0 && error.getRequestId() == sub.subscribeRequestId)
          || (!error.getSubscriptionId().isEmpty() && error.getSubscriptionId().equals(sub.id)
              && !sub.confirmed)) {
        refused = sub;
        break;
      }
    }
    if (refused != null) {
      Sub sub = refused;
      log.warn("subscription {} refused: {}", sub.id, reason);
      sub.active = false;
      subs.remove(sub.id);
      for (String user : new ArrayList<>(sub.held.keySet())) {
        pruneLocked(user);
      }
      post(() -> {
        try {
          sub.listener.onError(ex);
        } catch (RuntimeException e) {
          log.warn("presence listener onError threw", e);
        }
      });
      return;
    }
    log.warn("server reported a protocol error: {} ({})", reason, error.getMessage());
  }

  private boolean heldByAnyLocked(String user) {
    for (Sub sub : subs.values()) {
      if (sub.active && sub.held.containsKey(user)) {
        return true;
      }
    }
    return false;
  }

  private void pruneLocked(String user) {
    if (!heldByAnyLocked(user)) {
      latest.remove(user);
    }
  }

  static NullReason toReason(dev.presence.protocol.v1.NullReason r) {
    return switch (r) {
      case NULL_REASON_LEFT -> NullReason.LEFT;
      case NULL_REASON_CLEARED -> NullReason.CLEARED;
      case NULL_REASON_TIMED_OUT -> NullReason.TIMED_OUT;
      case NULL_REASON_OUT_OF_SCOPE -> NullReason.OUT_OF_SCOPE;
      case NULL_REASON_REVOKED -> NullReason.REVOKED;
      default -> NullReason.UNKNOWN;
    };
  }

  // ---------------------------------------------------------------- callbacks

  private void post(Runnable callback) {
    try {
      callbacks.execute(() -> {
        synchronized (gate) {
          if (callbacksClosed) {
            return;
          }
          runCallback(callback);
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("callback executor stopped; dropping callback");
    }
  }

  private static void runCallback(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      // The payload may be in the exception's message of user code we cannot see; log type and trace only.
      log.warn("a presence callback threw {}", e.getClass().getName(), e);
    }
  }

  private static void deliver(Sub sub, PresenceChange change) {
    if (sub.active) {
      sub.listener.onChange(change);
    }
  }

  private void notifyConnectionLocked(ConnectionState state, Throwable cause) {
    connectionState = state;
    // Listeners registered after this change must not hear about it.
    List<Registration<ConnectionListener>> targets = List.copyOf(connectionListeners);
    post(() -> {
      for (Registration<ConnectionListener> r : targets) {
        if (r.active) {
          runCallback(() -> r.listener.onConnectionState(state, cause));
        }
      }
    });
  }

  private void postMembership(Consumer<MembershipListener> call) {
    List<Registration<MembershipListener>> targets = List.copyOf(membershipListeners);
    post(() -> {
      for (Registration<MembershipListener> r : targets) {
        if (r.active) {
          runCallback(() -> call.accept(r.listener));
        }
      }
    });
  }

  /** Waits until no callback is running, unless called from one (the gate is reentrant). */
  private void callbackBarrier() {
    synchronized (gate) {
      // Entering the gate is the wait.
    }
  }

  // ---------------------------------------------------------------- outbound

  private UpdateThrottle.Cancellable scheduleLocked(Runnable task, long delayMillis) {
    try {
      ScheduledFuture<?> f = timer.schedule(() -> {
        synchronized (lock) {
          if (!closed) {
            task.run();
          }
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> { };
    }
  }

  private void sendUpdateLocked(Struct state) {
    Session s = session;
    if (s != null && s.opened) {
      s.send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(state)).build());
    }
    // Otherwise the latest state goes out when the next session opens.
  }

  private void setOwnState(Struct state) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      int max = limits.getMaxStateBytes();
      if (max > 0 && state.getSerializedSize() > max) {
        throw new IllegalArgumentException(
            "state is " + state.getSerializedSize() + " bytes; the server accepts at most " + max);
      }
      ownState = state;
      throttle.submit(state);
    }
  }

  private CompletableFuture<Void> followOp(String userId, boolean follow) {
    if (!Ids.isValidUserId(userId)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("invalid user id"));
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(closedException());
      }
      if (follow) {
        desiredFollows.add(userId);
      } else {
        desiredFollows.remove(userId);
      }
      PendingOp op = new PendingOp(userId, follow);
      op.futures.add(future);
      Session s = session;
      if (s != null && s.opened) {
        long id = nextRequestId++;
        pendingOps.put(id, op);
        ConnectRequest.Builder b = ConnectRequest.newBuilder().setRequestId(id);
        if (follow) {
          b.setFollow(Follow.newBuilder().setUserId(userId));
        } else {
          b.setUnfollow(Unfollow.newBuilder().setUserId(userId));
        }
        s.send(b.build());
      } else {
        unsentOps.add(op);
      }
    }
    return future;
  }

  // ---------------------------------------------------------------- inner types

  private final class Session implements ClientResponseObserver<ConnectRequest, ConnectResponse> {
    final long generation;
    ClientCallStreamObserver<ConnectRequest> requests;
    boolean opened;
    boolean broken;
    long lastInboundAt;
    long pingSentAt;
    long pingNonce;
    ScheduledFuture<?> liveness;

    Session(long generation) {
      this.generation = generation;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ConnectRequest> requestStream) {
      this.requests = requestStream;
    }

    void stopLiveness() {
      if (liveness != null) {
        liveness.cancel(false);
      }
    }

    /** Called under lock. */
    void send(ConnectRequest request) {
      if (broken) {
        return;
      }
      try {
        requests.onNext(request);
      } catch (RuntimeException e) {
        // The call already failed; onError will arrive and trigger the reconnect.
        broken = true;
        log.debug("send on ended stream", e);
      }
    }

    @Override
    public void onNext(ConnectResponse value) {
      onFrame(this, value);
    }

    @Override
    public void onError(Throwable t) {
      onSessionEnded(this, t);
    }

    @Override
    public void onCompleted() {
      onSessionEnded(this, null);
    }
  }

  private static final class Sub {
    final String id;
    final SyncTarget target;
    final PresenceListener listener;
    final Map<String, State> held = new HashMap<>();
    final Set<String> resyncSeen = new HashSet<>();
    volatile boolean active = true;
    boolean confirmed;
    boolean resyncing;
    long subscribeRequestId;

    Sub(String id, SyncTarget target, PresenceListener listener) {
      this.id = id;
      this.target = target;
      this.listener = listener;
    }
  }

  private static final class PendingOp {
    final String userId;
    final boolean follow;
    final List<CompletableFuture<Void>> futures = new ArrayList<>(1);

    PendingOp(String userId, boolean follow) {
      this.userId = userId;
      this.follow = follow;
    }
  }

  private final class Registration<L> implements Subscription {
    final L listener;
    final List<Registration<L>> owner;
    volatile boolean active = true;

    Registration(L listener, List<Registration<L>> owner) {
      this.listener = java.util.Objects.requireNonNull(listener, "listener");
      this.owner = owner;
    }

    @Override
    public void close() {
      active = false;
      owner.remove(this);
      callbackBarrier();
    }

    @Override
    public boolean isActive() {
      return active && !callbacksClosed;
    }
  }

  private final class RealSubscription implements Subscription {
    private final Sub sub;

    RealSubscription(Sub sub) {
      this.sub = sub;
    }

    @Override
    public void close() {
      synchronized (lock) {
        unsubscribeLocked(sub);
      }
      callbackBarrier();
    }

    @Override
    public boolean isActive() {
      return sub.active;
    }

    @Override
    public String toString() {
      return "Subscription[" + sub.id + " " + sub.target + "]";
    }
  }

  private void unsubscribeLocked(Sub sub) {
    if (!sub.active) {
      return;
    }
    sub.active = false;
    subs.remove(sub.id);
    Session s = session;
    if (s != null && s.opened && !closed) {
      s.send(ConnectRequest.newBuilder()
          .setUnsubscribe(Unsubscribe.newBuilder().setSubscriptionId(sub.id)).build());
    }
    for (String user : sub.held.keySet()) {
      pruneLocked(user);
    }
  }

  private final class RealPresence implements Presence {
    @Override
    public void update(Map<String, ?> state) {
      setOwnState(State.of(state).toStruct());
    }

    @Override
    public void update(Struct state) {
      setOwnState(java.util.Objects.requireNonNull(state, "state"));
    }

    @Override
    public void update(State state) {
      setOwnState(state.toStruct());
    }

    @Override
    public void clear() {
      synchronized (lock) {
        if (closed) {
          return;
        }
        ownState = null;
        throttle.cancelPending();
        Session s = session;
        if (s != null && s.opened) {
          s.send(ConnectRequest.newBuilder().setClearState(ClearState.getDefaultInstance()).build());
        }
      }
    }

    @Override
    public Subscription sync(SyncTarget target, PresenceListener listener) {
      java.util.Objects.requireNonNull(target, "target");
      java.util.Objects.requireNonNull(listener, "listener");
      synchronized (lock) {
        Sub sub = new Sub("s" + nextSubscriptionNumber++, target, listener);
        if (closed) {
          sub.active = false;
          return new RealSubscription(sub);
        }
        subs.put(sub.id, sub);
        Session s = session;
        if (s != null && s.opened) {
          sendSubscribeLocked(s, sub);
        }
        return new RealSubscription(sub);
      }
    }

    @Override
    public void unsync() {
      synchronized (lock) {
        for (Sub sub : new ArrayList<>(subs.values())) {
          unsubscribeLocked(sub);
        }
      }
      callbackBarrier();
    }

    @Override
    public State getState() {
      synchronized (lock) {
        return ownState == null ? null : State.of(ownState);
      }
    }

    @Override
    public State getState(String userId) {
      synchronized (lock) {
        return latest.get(userId);
      }
    }

    @Override
    public Map<String, State> getStates() {
      synchronized (lock) {
        return Map.copyOf(latest);
      }
    }
  }

  private final class RealUsers implements Users {
    @Override
    public Map<String, User> all() {
      synchronized (lock) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(members));
      }
    }

    @Override
    public Optional<User> get(String userId) {
      synchronized (lock) {
        return Optional.ofNullable(members.get(userId));
      }
    }

    @Override
    public CompletableFuture<Void> follow(String userId) {
      return followOp(userId, true);
    }

    @Override
    public CompletableFuture<Void> unfollow(String userId) {
      return followOp(userId, false);
    }

    @Override
    public Set<String> following() {
      synchronized (lock) {
        return Set.copyOf(confirmedFollows);
      }
    }

    @Override
    public Subscription onMembership(MembershipListener listener) {
      Registration<MembershipListener> r = new Registration<>(listener, membershipListeners);
      membershipListeners.add(r);
      return r;
    }
  }

  private final class RealUser implements User {
    final String id;
    final String displayName;

    RealUser(String id, String displayName) {
      this.id = id;
      this.displayName = displayName;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String displayName() {
      return displayName;
    }

    @Override
    public boolean isSelf() {
      return id.equals(selfUserId);
    }

    @Override
    public boolean isFollowed() {
      synchronized (lock) {
        return confirmedFollows.contains(id);
      }
    }

    @Override
    public CompletableFuture<Void> follow() {
      return followOp(id, true);
    }

    @Override
    public CompletableFuture<Void> unfollow() {
      return followOp(id, false);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RealUser u && u.id.equals(id) && u.displayName.equals(displayName);
    }

    @Override
    public int hashCode() {
      return id.hashCode() * 31 + displayName.hashCode();
    }

    @Override
    public String toString() {
      return "User[" + id + (displayName.isEmpty() ? "" : " \"" + displayName + "\"") + "]";
    }
  }
}
