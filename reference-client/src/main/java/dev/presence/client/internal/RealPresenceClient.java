package dev.presence.client.internal;

import com.google.protobuf.Struct;
import dev.presence.client.ConnectionListener;
import dev.presence.client.ConnectionState;
import dev.presence.client.MembershipListener;
import dev.presence.client.Presence;
import dev.presence.client.PresenceClient;
import dev.presence.client.PresenceException;
import dev.presence.client.PresenceListener;
import dev.presence.client.State;
import dev.presence.client.Subscription;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import dev.presence.client.Users;
import dev.presence.protocol.Identifiers;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.ProtocolError;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence.v1 client, wired from parts that each keep one promise: {@link SessionLifecycle} keeps a session
 * open, {@link OwnState} throttles this client's state, {@link FollowTracker} keeps the follow set,
 * {@link SubscriptionRouter} delivers events to subscriptions, {@link MemberDirectory} keeps the member list and
 * {@link CallbackDispatcher} runs callbacks.
 *
 * <p>One lock guards the state of every part. Inbound frames, timers and API calls take it briefly and never
 * block under it; callbacks are queued under it and run outside it, so a callback may call back into the client.
 */
public final class RealPresenceClient implements PresenceClient {
  private static final Logger log = LoggerFactory.getLogger(RealPresenceClient.class);

  private final Object lock = new Object();
  private final ExecutorService ownedCallbackThread;
  private final CallbackDispatcher dispatcher;
  private final FollowTracker follows;
  private final SubscriptionRouter router;
  private final MemberDirectory members;
  private final ListenerRegistry<MembershipListener> membershipListeners;
  private final OwnState ownState;
  private final SessionLifecycle lifecycle;
  private final Presence presence = new PresenceModule();
  private final Users users = new UsersModule();
  private volatile String selfUserId;

  /**
   * Creates a client; use {@link PresenceClient#builder()}.
   *
   * @param config the settings
   */
  public RealPresenceClient(ClientConfig config) {
    if (config.callbackExecutor() != null) {
      this.ownedCallbackThread = null;
      this.dispatcher = new CallbackDispatcher(config.callbackExecutor());
    } else {
      this.ownedCallbackThread =
          Executors.newSingleThreadExecutor(SessionLifecycle.daemon("presence-client-callbacks"));
      this.dispatcher = new CallbackDispatcher(ownedCallbackThread);
    }
    RequestIds requestIds = new RequestIds();
    this.follows = new FollowTracker(requestIds);
    this.router = new SubscriptionRouter(dispatcher, requestIds, follows::isConfirmed);
    this.membershipListeners = new ListenerRegistry<>(dispatcher);
    this.members = new MemberDirectory(membershipListeners, new MemberActions());
    // The lifecycle is created last; these method references only run once it exists.
    this.ownState = new OwnState(() -> config.clock().millis(), this::scheduleUnderLock, this::openSession);
    this.lifecycle = new SessionLifecycle(config, lock, new Protocol(), this, dispatcher);
  }

  @Override
  public CompletableFuture<PresenceClient> connect() {
    return lifecycle.connect();
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
    return lifecycle.state();
  }

  @Override
  public Subscription onConnectionState(ConnectionListener listener) {
    return lifecycle.onConnectionState(listener);
  }

  @Override
  public void close() {
    lifecycle.close();
    if (ownedCallbackThread != null) {
      ownedCallbackThread.shutdown();
    }
  }

  private UpdateThrottle.Cancellable scheduleUnderLock(Runnable task, long delayMillis) {
    return lifecycle.scheduleUnderLock(task, delayMillis);
  }

  private SessionCall openSession() {
    return lifecycle.openSession();
  }

  private CompletableFuture<Void> followRequest(String userId, boolean follow) {
    if (!Identifiers.isValidUserId(userId)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("invalid user id"));
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    synchronized (lock) {
      if (lifecycle.isStopped()) {
        return CompletableFuture.failedFuture(SessionLifecycle.closedException());
      }
      follows.request(userId, follow, future, lifecycle.openSession());
    }
    return future;
  }

  /** What the protocol's frames do to the parts; runs under the lock. */
  private final class Protocol implements SessionLifecycle.Protocol {
    @Override
    public void onOpened(SessionCall session, Opened opened, List<Runnable> after) {
      selfUserId = opened.getSelf().getUserId();
      members.reconcile(opened.getMembersList());
      // PRS-RCN-8: the latest state, then follows, then subscriptions, so that a restored 'following' snapshot sees
      // the whole follow set.
      ownState.onOpened(session, session.limits());
      follows.restore(session, after);
      router.resubscribeAll(session);
    }

    @Override
    public void onFrame(SessionCall session, ConnectResponse frame, List<Runnable> after) {
      switch (frame.getFrameCase()) {
        case PRESENCE -> {
          for (PresenceEvent e : frame.getPresence().getEventsList()) {
            router.onEvent(e);
          }
        }
        case SNAPSHOT_COMPLETE -> router.onSnapshotComplete(frame.getSnapshotComplete().getSubscriptionId(),
            frame.getSnapshotComplete().getRequestId(), members::contains);
        case MEMBER_JOINED -> members.joined(frame.getMemberJoined().getUser());
        case MEMBER_LEFT -> members.left(frame.getMemberLeft().getUserId(),
            Frames.toReason(frame.getMemberLeft().getReason()));
        case ACK -> follows.onAck(frame.getAck().getRequestId(), after);
        case ERROR -> onProtocolError(frame.getError(), after);
        default -> {
          // PRS-EVO-3: frames of unknown kinds, and pongs (any frame already proved the server alive).
        }
      }
    }

    private void onProtocolError(ProtocolError error, List<Runnable> after) {
      String reason = error.getReason().name().replaceFirst("^ERROR_REASON_", "");
      PresenceException failure = new PresenceException(reason, error.getMessage(), false, null);
      if (follows.onError(error.getRequestId(), failure, after) || router.onRefused(error, failure)) {
        return;
      }
      log.warn("server reported a protocol error: {} ({})", reason, error.getMessage());
    }

    @Override
    public void onSessionLost() {
      ownState.reset();
      follows.sessionLost();
    }

    @Override
    public void onStopped(PresenceException cause, List<Runnable> after) {
      ownState.reset();
      follows.failAll(cause, after);
      router.stopAll();
    }
  }

  private final class MemberActions implements RoomMember.Client {
    @Override
    public boolean isSelf(String userId) {
      return userId.equals(selfUserId);
    }

    @Override
    public boolean isFollowed(String userId) {
      synchronized (lock) {
        return follows.isConfirmed(userId);
      }
    }

    @Override
    public CompletableFuture<Void> follow(String userId, boolean follow) {
      return followRequest(userId, follow);
    }
  }

  private final class SyncSubscription implements Subscription {
    private final SubscriptionRouter.Route route;

    SyncSubscription(SubscriptionRouter.Route route) {
      this.route = route;
    }

    @Override
    public void close() {
      synchronized (lock) {
        router.remove(route, lifecycle.isStopped() ? null : lifecycle.openSession());
      }
      dispatcher.barrier();
    }

    @Override
    public boolean isActive() {
      return route.active;
    }

    @Override
    public String toString() {
      return "Subscription[" + route.id + " " + route.target + "]";
    }
  }

  private final class PresenceModule implements Presence {
    @Override
    public void update(Map<String, ?> state) {
      set(State.of(state).toStruct());
    }

    @Override
    public void update(Struct state) {
      set(Objects.requireNonNull(state, "state"));
    }

    @Override
    public void update(State state) {
      set(state.toStruct());
    }

    private void set(Struct state) {
      synchronized (lock) {
        if (!lifecycle.isStopped()) {
          ownState.set(state);
        }
      }
    }

    @Override
    public void clear() {
      synchronized (lock) {
        if (!lifecycle.isStopped()) {
          ownState.clear();
        }
      }
    }

    @Override
    public Subscription sync(SyncTarget target, PresenceListener listener) {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(listener, "listener");
      synchronized (lock) {
        if (lifecycle.isStopped()) {
          return new SyncSubscription(router.inactive(target, listener));
        }
        return new SyncSubscription(router.add(target, listener, lifecycle.openSession()));
      }
    }

    @Override
    public void unsync() {
      synchronized (lock) {
        router.removeAll(lifecycle.isStopped() ? null : lifecycle.openSession());
      }
      dispatcher.barrier();
    }

    @Override
    public State getState() {
      synchronized (lock) {
        return ownState.get();
      }
    }

    @Override
    public State getState(String userId) {
      synchronized (lock) {
        return router.latest(userId);
      }
    }

    @Override
    public Map<String, State> getStates() {
      synchronized (lock) {
        return router.latestStates();
      }
    }
  }

  private final class UsersModule implements Users {
    @Override
    public Map<String, User> all() {
      synchronized (lock) {
        return members.snapshot();
      }
    }

    @Override
    public Optional<User> get(String userId) {
      synchronized (lock) {
        return members.get(userId);
      }
    }

    @Override
    public CompletableFuture<Void> follow(String userId) {
      return followRequest(userId, true);
    }

    @Override
    public CompletableFuture<Void> unfollow(String userId) {
      return followRequest(userId, false);
    }

    @Override
    public Set<String> following() {
      synchronized (lock) {
        return follows.confirmed();
      }
    }

    @Override
    public Subscription onMembership(MembershipListener listener) {
      return membershipListeners.register(listener);
    }
  }
}
