package dev.presence.conformance.client.server;

import dev.presence.conformance.driver.TcpFaultProxy;
import dev.presence.conformance.driver.WireFormat;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The presence.v1 server an SDK under test connects to in client mode: it answers as {@link Autopilot} says, plays
 * the other users of the room ({@link KitRoom}), records every byte of every call ({@link KitCall}), and can fail
 * like a network or a server on purpose.
 *
 * <p>The gRPC server listens on a loopback port; the SDK connects through a {@link TcpFaultProxy} in front of it,
 * so that {@link #target()} stays the same across {@link #restart()}.
 */
public final class KitServer implements AutoCloseable {

  /** How long after a cancel the kit waits to see whether the transport went too. */
  static final Duration TRANSPORT_GRACE = Duration.ofMillis(50);
  private static final int MAX_INBOUND_BYTES = 16 * 1024 * 1024;
  private static final Duration PING_TICK = Duration.ofMillis(20);
  private static final Context.Key<Metadata> HEADERS = Context.key("kit-headers");
  private static final Context.Key<SocketAddress> REMOTE = Context.key("kit-remote");

  private final Autopilot autopilot;
  private final KitRoom room = new KitRoom();
  private final Answers answers;
  private final Recording<KitCall> calls = new Recording<>();
  private final Set<SocketAddress> goneTransports = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers = Executors.newCachedThreadPool(daemon("kit-server-worker"));
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(daemon("kit-server-timer"));
  private final long startNanos = System.nanoTime();
  private final int port;
  private final TcpFaultProxy proxy;
  private volatile Server server;
  private volatile boolean blackholed;
  private final AtomicLong faultEpoch = new AtomicLong();

  private KitServer(Autopilot autopilot) throws IOException {
    this.autopilot = autopilot;
    this.answers = new Answers(autopilot, room);
    autopilot.bind(room);
    this.server = build(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start();
    this.port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    this.proxy = TcpFaultProxy.start(InetAddress.getLoopbackAddress().getHostAddress(), port);
    timers.scheduleWithFixedDelay(this::pingTick, PING_TICK.toMillis(), PING_TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Starts a server and its proxy.
   *
   * @param autopilot how the server answers; it stays live and mutable
   * @return the running server
   * @throws IOException if a socket cannot be opened
   */
  public static KitServer start(Autopilot autopilot) throws IOException {
    return new KitServer(autopilot);
  }

  /** Returns "127.0.0.1:PORT" of the proxy, what the SDK connects to. */
  public String target() {
    return "127.0.0.1:" + proxy.port();
  }

  /** Returns the live behaviour of the server. */
  public Autopilot autopilot() {
    return autopilot;
  }

  /** Returns the room and the users the kit plays in it. */
  public KitRoom room() {
    return room;
  }

  /** Returns when the server started, by {@link System#nanoTime()}, the clock of every timestamp it records. */
  public long startNanos() {
    return startNanos;
  }

  /** Returns every call so far, in arrival order. */
  public List<KitCall> calls() {
    return calls.snapshot();
  }

  /**
   * Waits until call number {@code index} (from 0) has arrived.
   *
   * @param index the call's index
   * @param timeout how long to wait at most
   * @return the call, or empty on timeout
   */
  public Optional<KitCall> awaitCall(int index, Duration timeout) {
    return calls.awaitIndex(index, timeout);
  }

  /** Aborts every connection through the proxy with a TCP reset. */
  public void reset() {
    proxy.reset();
  }

  /**
   * Stops carrying bytes in both directions, keeping connections open, as a dead network does. Unless healed
   * first, the kit's server then detects the loss after half of the advertised {@code leave_detection_millis}, as
   * its liveness detection would (PRS-LIV-1): every live call ends with its transport, and its user times out
   * (PRS-END-3). gRPC's own keepalive cannot be that quick (it allows no less than 10 seconds), so the kit decides
   * the loss itself; what it sends then is dropped, so the client still sees nothing and must detect the loss on its
   * own (PRS-LIV-9).
   */
  public void blackhole() {
    long epoch = faultEpoch.incrementAndGet();
    blackholed = true;
    proxy.blackhole();
    long detectMillis = Math.max(1, autopilot.limits().getLeaveDetectionMillis() / 2);
    later(Duration.ofMillis(detectMillis), () -> {
      if (faultEpoch.get() == epoch) {
        for (KitCall call : calls.snapshot()) {
          call.lostToLiveness();
        }
      }
    });
  }

  /** Carries bytes again after {@link #blackhole()}; what was dropped stays lost. */
  public void heal() {
    faultEpoch.incrementAndGet();
    proxy.heal();
    blackholed = false;
  }

  /**
   * While true, new connections are accepted and closed at once, as when the server is down; live ones stay.
   *
   * @param refuse whether to refuse
   */
  public void refuseConnections(boolean refuse) {
    proxy.refuseConnections(refuse);
  }

  /**
   * Restarts the gRPC server abruptly, as a crash and a restart would: every connection is reset, every live call
   * ends with its transport, and a new server takes connections behind the same {@link #target()}. The room's
   * kit-played users stay.
   *
   * @throws IOException if the new server cannot bind the port again
   */
  public synchronized void restart() throws IOException {
    for (KitCall call : calls.snapshot()) {
      call.serverDying();
    }
    // A crashed server sends nothing more: resetting its connections first keeps gRPC's orderly RST_STREAM of
    // shutdownNow from reaching clients, which then see the connection drop (UNAVAILABLE), as after a crash.
    proxy.reset();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while restarting", e);
    }
    server = build(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).start();
  }

  @Override
  public synchronized void close() {
    proxy.close();
    server.shutdownNow();
    timers.shutdownNow();
    workers.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- Used by calls. ----

  Answers answers() {
    return answers;
  }

  boolean blackholed() {
    return blackholed;
  }

  boolean transportGone(SocketAddress remote) {
    return remote != null && goneTransports.contains(remote);
  }

  void later(Duration delay, Runnable task) {
    try {
      timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // The server is closed; nothing is left to update.
    }
  }

  private Server build(InetSocketAddress address) {
    MethodDescriptor<byte[], byte[]> connect = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(PresenceServiceGrpc.getConnectMethod().getFullMethodName())
        .setRequestMarshaller(WireFormat.bytes())
        .setResponseMarshaller(WireFormat.bytes())
        .build();
    ServerServiceDefinition service = ServerServiceDefinition.builder(PresenceServiceGrpc.SERVICE_NAME)
        .addMethod(connect, ServerCalls.asyncBidiStreamingCall(this::newCall))
        .build();
    return NettyServerBuilder.forAddress(address)
        // The same port must bind again right after a restart, while the old connections sit in TIME_WAIT.
        .withOption(ChannelOption.SO_REUSEADDR, true)
        .addService(ServerInterceptors.intercept(service, new CallContext()))
        .addTransportFilter(new TransportWatch())
        .maxInboundMessageSize(MAX_INBOUND_BYTES)
        // A fallback for losses the kit did not cause; gRPC clamps the time to at least 10 seconds.
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(2, TimeUnit.SECONDS)
        // The kit tests clients, not its own patience: it never ends a connection for the client's pings.
        .permitKeepAliveTime(1, TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        .build();
  }

  private StreamObserver<byte[]> newCall(StreamObserver<byte[]> responses) {
    ServerCallStreamObserver<byte[]> observer = (ServerCallStreamObserver<byte[]>) responses;
    KitCall call;
    synchronized (calls) {
      call = new KitCall(calls.size(), HEADERS.get(), REMOTE.get(), observer, this, room, new SerialWorker(workers));
      calls.add(call);
    }
    KitCall c = call;
    // With a cancel handler set, gRPC drops sends after a cancel instead of throwing.
    observer.setOnCancelHandler(() -> c.cancelled(System.nanoTime()));
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] message) {
        c.received(message);
      }

      @Override
      public void onError(Throwable t) {
        // A cancel, already handled by the cancel handler.
      }

      @Override
      public void onCompleted() {
        c.clientHalfClosed();
      }
    };
  }

  private void pingTick() {
    Optional<Duration> every = autopilot.pingEvery();
    if (every.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<KitCall> live;
    synchronized (room.lock) {
      live = room.liveCalls();
    }
    for (KitCall call : live) {
      if (call.declaredPing() && now - call.lastServerPingNanos() >= every.get().toNanos()) {
        call.sendPing(call.nextPingNonce());
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Puts each call's headers and peer address where the call handler can read them. */
  private static final class CallContext implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      Context ctx = Context.current()
          .withValue(HEADERS, headers)
          .withValue(REMOTE, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
      return Contexts.interceptCall(ctx, call, headers, next);
    }
  }

  /** Remembers which connections went away, so that a cancel can be told apart from a lost transport. */
  private final class TransportWatch extends ServerTransportFilter {
    @Override
    public void transportTerminated(Attributes attrs) {
      SocketAddress remote = attrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      if (remote != null) {
        goneTransports.add(remote);
      }
    }
  }
}
