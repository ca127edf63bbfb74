package dev.presence.conformance.selftest;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.Ack;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.Channel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A presence.v1 server that is wrong in exactly one way: it relays every session to a correct upstream server and
 * injects one {@link Fault} into the frames. The kit's self-test runs against it to prove that each checker catches
 * the fault it is meant for.
 */
// Closing waits for the server to stop, so it may be interrupted; the interrupt reaches the caller.
@SuppressWarnings("try")
final class FaultyProxy implements AutoCloseable {

  private static final long WINDOW_MILLIS = 50;
  private static final long EXTRA_PING_NONCE = 1L << 40;

  private final Fault fault;
  private final Channel upstream;
  private final UnaryOperator<String> authorization;
  private final Server server;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "faulty-proxy-timer");
    t.setDaemon(true);
    return t;
  });
  private final Object lock = new Object();
  private final List<Relay> relays = new ArrayList<>();

  private FaultyProxy(Fault fault, Channel upstream, UnaryOperator<String> mint) throws IOException {
    this.fault = fault;
    this.upstream = upstream;
    this.authorization = fault == Fault.TOKENS_NOT_VERIFIED ? ForwardedCredentials.trustingClaims(mint)
        : UnaryOperator.identity();
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(new Service(), ForwardedCredentials.capture()))
        .build()
        .start();
  }

  /**
   * Starts a proxy in front of a correct server.
   *
   * @param mint returns a token the upstream server accepts for a subject; used only by faults about tokens
   */
  static FaultyProxy start(Fault fault, Channel upstream, UnaryOperator<String> mint) throws IOException {
    return new FaultyProxy(fault, upstream, mint);
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    timer.shutdownNow();
  }

  private final class Service extends PresenceServiceGrpc.PresenceServiceImplBase {
    @Override
    public StreamObserver<ConnectRequest> connect(StreamObserver<ConnectResponse> downstream) {
      Relay relay = new Relay(downstream);
      relay.upstreamRequests = ForwardedCredentials.onto(PresenceServiceGrpc.newStub(upstream), authorization)
          .connect(relay.fromServer());
      synchronized (lock) {
        relays.add(relay);
      }
      return relay.fromClient();
    }
  }

  /** One session relayed; all its state is guarded by the proxy's lock. */
  private final class Relay {
    private final StreamObserver<ConnectResponse> downstream;
    private StreamObserver<ConnectRequest> upstreamRequests;
    private final Map<String, Long> lastLiveMillis = new HashMap<>();
    private String room = "";
    private String claimedUser = "";
    private String user = "";
    private boolean open = true;
    private boolean cancelledByClient;
    private ConnectResponse held;
    private final List<PresenceEvent> snapshot = new ArrayList<>();
    private final Map<String, PresenceEvent> nullsAwaitingMemberLeft = new HashMap<>();
    private ConnectResponse heldPong;
    private final OrderFaults orderFaults = new OrderFaults(fault, this::deliver, this::later);
    private boolean declaredPing;
    private int pongsFromClient;
    private boolean pingTimedOut;

    Relay(StreamObserver<ConnectResponse> downstream) {
      this.downstream = downstream;
    }

    StreamObserver<ConnectRequest> fromClient() {
      return new StreamObserver<>() {
        @Override
        public void onNext(ConnectRequest frame) {
          synchronized (lock) {
            if (frame.hasOpen()) {
              room = frame.getOpen().getRoomId();
              claimedUser = frame.getOpen().getDevUserId();
              declaredPing = frame.getOpen().getCapabilitiesList().contains(Capability.CAPABILITY_PING);
              if (fault == Fault.PINGS_WITHOUT_CAPABILITY && !declaredPing) {
                frame = frame.toBuilder().setOpen(frame.getOpen().toBuilder()
                    .addCapabilities(Capability.CAPABILITY_PING)).build();
              }
            }
            boolean timesOut = fault == Fault.ANSWERED_PINGS_TIMED_OUT && frame.hasPong() && timeOutAnsweredPings();
            if (pingTimedOut || timesOut) {
              return;
            }
            if (fault == Fault.UNFOLLOW_IGNORED && frame.hasUnfollow()) {
              deliver(ConnectResponse.newBuilder().setAck(Ack.newBuilder().setRequestId(frame.getRequestId()))
                  .build());
              return;
            }
            orderFaults.fromClient(frame);
            upstreamRequests.onNext(frame);
          }
        }

        @Override
        public void onError(Throwable t) {
          synchronized (lock) {
            cancelledByClient = true;
            clientGone();
            upstreamRequests.onError(Status.CANCELLED.withDescription("client cancelled").asException());
          }
        }

        @Override
        public void onCompleted() {
          synchronized (lock) {
            clientGone();
            upstreamRequests.onCompleted();
          }
        }
      };
    }

    StreamObserver<ConnectResponse> fromServer() {
      return new StreamObserver<>() {
        @Override
        public void onNext(ConnectResponse frame) {
          synchronized (lock) {
            if (frame.hasOpened()) {
              user = frame.getOpened().getSelf().getUserId();
              if (fault == Fault.CLAIMED_IDENTITY_TRUSTED && !claimedUser.isEmpty()) {
                frame = claimIdentity(frame, claimedUser);
              }
              if (fault == Fault.PINGS_WITHOUT_CAPABILITY && !declaredPing) {
                frame = capabilities(frame, List.of());
              }
              if (fault == Fault.UNDECLARED_CAPABILITY_GRANTED && !declaredPing) {
                frame = capabilities(frame, List.of(Capability.CAPABILITY_PING));
              }
            }
            fromServer(frame);
          }
        }

        @Override
        public void onError(Throwable t) {
          synchronized (lock) {
            if (open) {
              open = false;
              boolean tooLarge = Status.fromThrowable(t).getCode() == Status.Code.RESOURCE_EXHAUSTED;
              downstream.onError(fault == Fault.FRAME_TOO_LARGE_AS_CANCELLED && tooLarge
                  ? Status.CANCELLED.withDescription("frame too large").asException() : t);
            }
          }
        }

        @Override
        public void onCompleted() {
          synchronized (lock) {
            if (open) {
              open = false;
              downstream.onCompleted();
            }
          }
        }
      };
    }

    private void clientGone() {
      if (fault == Fault.NULL_WHEN_ONE_TAB_CLOSES && !user.isEmpty()) {
        boolean otherTab = relays.stream().anyMatch(r -> r != this && r.open && r.user.equals(user)
            && r.room.equals(room));
        if (otherTab) {
          PresenceEvent left = PresenceEvent.newBuilder().setUserId(user)
              .setNullReason(NullReason.NULL_REASON_LEFT).build();
          relays.stream().filter(r -> r != this && r.open && r.room.equals(room))
              .forEach(r -> r.deliver(batch(left)));
        }
      }
      open = false;
    }

    private void fromServer(ConnectResponse frame) {
      if (orderFaults.fromServer(frame)) {
        return;
      }
      if (fault == Fault.SNAPSHOT_NOT_SPLIT && mergeSnapshot(frame)) {
        return;
      }
      if (fault == Fault.MEMBER_LEFT_BEFORE_NULL && holdNullForMemberLeft(frame)) {
        return;
      }
      if (fault == Fault.PONG_BEHIND_LATER_ANSWERS && holdPong(frame)) {
        return;
      }
      if (fault == Fault.PINGS_TOO_OFTEN && frame.hasPing()) {
        deliver(frame);
        later(10, () -> deliver(ConnectResponse.newBuilder().setPing(Ping.newBuilder()
            .setNonce(frame.getPing().getNonce() | EXTRA_PING_NONCE)).build()));
        return;
      }
      if (fault == Fault.PONG_NONCE_NOT_ECHOED && frame.hasPong()) {
        deliver(ConnectResponse.newBuilder().setPong(Pong.newBuilder().setNonce(0)).build());
        return;
      }
      if (!frame.hasPresence()) {
        deliver(frame);
        if (fault == Fault.SPURIOUS_NULL && frame.hasMemberJoined()) {
          deliver(batch(PresenceEvent.newBuilder().setUserId(frame.getMemberJoined().getUser().getUserId())
              .setNullReason(NullReason.NULL_REASON_CLEARED).build()));
        }
        return;
      }
      List<PresenceEvent> kept = new ArrayList<>();
      for (PresenceEvent e : frame.getPresence().getEventsList()) {
        if (keep(e)) {
          kept.add(e);
        }
      }
      if (kept.isEmpty()) {
        return;
      }
      ConnectResponse filtered = batch(kept.toArray(PresenceEvent[]::new));
      switch (fault) {
        case NO_THROTTLE -> {
          deliver(filtered);
          later(2, () -> deliver(onlyLiveStates(filtered)));
        }
        case NULL_SENT_TWICE -> {
          deliver(filtered);
          later(WINDOW_MILLIS + 10, () -> deliver(onlyLiveNulls(filtered)));
        }
        case STATES_REORDERED -> reorder(filtered);
        case EVENTS_LEAKED_OUTSIDE_TARGET -> {
          deliver(filtered);
          relays.stream().filter(r -> r != this && r.open && r.room.equals(room))
              .forEach(r -> r.deliver(onlyLive(filtered)));
        }
        case EVENTS_CROSS_ROOMS -> {
          deliver(filtered);
          relays.stream().filter(r -> r.open && !r.room.equals(room))
              .forEach(r -> r.deliver(onlyLive(filtered)));
        }
        default -> deliver(filtered);
      }
    }

    /** Holds tagged presence until the snapshot completes, then sends it as one frame. */
    private boolean mergeSnapshot(ConnectResponse frame) {
      boolean tagged = frame.hasPresence() && frame.getPresence().getEventsList().stream()
          .allMatch(e -> e.getSubscriptionIdsCount() > 0);
      if (tagged) {
        snapshot.addAll(frame.getPresence().getEventsList());
        return true;
      }
      if (!snapshot.isEmpty()) {
        deliver(batch(snapshot.toArray(PresenceEvent[]::new)));
        snapshot.clear();
      }
      return false;
    }

    private boolean holdNullForMemberLeft(ConnectResponse frame) {
      if (frame.hasMemberLeft()) {
        PresenceEvent held = nullsAwaitingMemberLeft.remove(frame.getMemberLeft().getUserId());
        deliver(frame);
        if (held != null) {
          deliver(batch(held));
        }
        return true;
      }
      if (!frame.hasPresence()) {
        return false;
      }
      List<PresenceEvent> rest = new ArrayList<>();
      for (PresenceEvent e : frame.getPresence().getEventsList()) {
        if (e.getSubscriptionIdsCount() == 0 && !e.hasState() && e.getNullReason() == NullReason.NULL_REASON_LEFT) {
          nullsAwaitingMemberLeft.put(e.getUserId(), e);
        } else {
          rest.add(e);
        }
      }
      deliver(batch(rest.toArray(PresenceEvent[]::new)));
      return true;
    }

    private boolean holdPong(ConnectResponse frame) {
      if (frame.hasPong()) {
        if (heldPong != null) {
          deliver(heldPong);
        }
        heldPong = frame;
        later(WINDOW_MILLIS * 4, () -> {
          if (heldPong == frame) {
            deliver(frame);
            heldPong = null;
          }
        });
        return true;
      }
      if (heldPong != null) {
        deliver(frame);
        deliver(heldPong);
        heldPong = null;
        return true;
      }
      return false;
    }

    /** Ends the call with PING_TIMEOUT at the client's second pong, as if no pong had been seen. */
    private boolean timeOutAnsweredPings() {
      if (++pongsFromClient < 2 || !open) {
        return false;
      }
      pingTimedOut = true;
      open = false;
      downstream.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
          .setCode(Status.Code.DEADLINE_EXCEEDED.value()).setMessage("no pong")
          .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("presence.v1").setReason("PING_TIMEOUT").build()))
          .build()));
      upstreamRequests.onError(Status.CANCELLED.withDescription("ping timeout").asException());
      return true;
    }

    private boolean keep(PresenceEvent e) {
      boolean live = e.getSubscriptionIdsCount() == 0;
      switch (fault) {
        case TRAILING_UPDATE_DROPPED -> {
          if (live && e.hasState()) {
            long now = System.currentTimeMillis();
            Long before = lastLiveMillis.put(e.getUserId(), now);
            return before == null || now - before > WINDOW_MILLIS + 30;
          }
          return true;
        }
        case NO_NULL_ON_CANCEL -> {
          return !(live && !e.hasState() && e.getNullReason() == NullReason.NULL_REASON_LEFT
              && relays.stream().anyMatch(r -> r.cancelledByClient && r.user.equals(e.getUserId())));
        }
        case NO_SNAPSHOT -> {
          return live || !e.hasState();
        }
        default -> {
          return true;
        }
      }
    }

    private void reorder(ConnectResponse frame) {
      if (held == null) {
        held = frame;
        later(WINDOW_MILLIS * 3, () -> {
          if (held != null) {
            deliver(held);
            held = null;
          }
        });
        return;
      }
      ConnectResponse first = held;
      held = null;
      deliver(frame);
      deliver(first);
    }

    private void later(long millis, Runnable action) {
      timer.schedule(() -> {
        synchronized (lock) {
          action.run();
        }
      }, millis, TimeUnit.MILLISECONDS);
    }

    void deliver(ConnectResponse frame) {
      boolean cancelled = ((ServerCallStreamObserver<ConnectResponse>) downstream).isCancelled();
      if (open && !cancelled && !(frame.hasPresence() && frame.getPresence().getEventsCount() == 0)) {
        downstream.onNext(frame);
      }
    }
  }

  private static ConnectResponse claimIdentity(ConnectResponse opened, String claimed) {
    ConnectResponse.Builder b = opened.toBuilder();
    b.getOpenedBuilder().getSelfBuilder().setUserId(claimed);
    return b.build();
  }

  private static ConnectResponse capabilities(ConnectResponse opened, List<Capability> granted) {
    ConnectResponse.Builder b = opened.toBuilder();
    b.getOpenedBuilder().clearCapabilities().addAllCapabilities(granted);
    return b.build();
  }

  private static ConnectResponse batch(PresenceEvent... events) {
    return ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addAllEvents(List.of(events)))
        .build();
  }

  private static ConnectResponse onlyLive(ConnectResponse frame) {
    return batch(frame.getPresence().getEventsList().stream().filter(e -> e.getSubscriptionIdsCount() == 0)
        .toArray(PresenceEvent[]::new));
  }

  private static ConnectResponse onlyLiveStates(ConnectResponse frame) {
    return batch(frame.getPresence().getEventsList().stream()
        .filter(e -> e.getSubscriptionIdsCount() == 0 && e.hasState()).toArray(PresenceEvent[]::new));
  }

  private static ConnectResponse onlyLiveNulls(ConnectResponse frame) {
    return batch(frame.getPresence().getEventsList().stream()
        .filter(e -> e.getSubscriptionIdsCount() == 0 && !e.hasState()).toArray(PresenceEvent[]::new));
  }
}
