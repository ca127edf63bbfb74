package dev.presence.server.warmup;

import dev.presence.server.auth.NoneAuthenticator;
import dev.presence.server.config.AuthMode;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.SystemTime;
import dev.presence.server.ops.OpsServices;
import dev.presence.server.ops.PrometheusMetrics;
import dev.presence.server.room.Room;
import dev.presence.server.room.RoomContext;
import dev.presence.server.room.RoomRegistry;
import dev.presence.server.transport.EventLoops;
import dev.presence.server.transport.Transports;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a burst of presence through a private copy of the server's transports, on its event loops, over loopback,
 * until the fan-out meets PRS-THR-3's bound (W + 25 ms) or time runs out. The server turns SERVING after it, so
 * the first burst real clients send meets a compiled hot path instead of the interpreter and a queue of JIT work.
 *
 * <p>The copy listens on 127.0.0.1 on ports of its own, with development auth and without TLS, in rooms no
 * client of the server can reach, and is gone before the server reports SERVING.
 */
public final class Warmup {
  private static final int USERS = 20;
  private static final int STATES_PER_USER_PER_SECOND = 50;
  private static final long SLICE_MILLIS = 250;
  private static final int WARM_SLICES_NEEDED = 4;
  private static final int MIN_SAMPLES_PER_SLICE = 200;
  private static final double LEEWAY_MILLIS = 25;
  private static final String ROOM = "warmup";
  /**
   * Connections opened and closed in batches meanwhile, so a storm of them after SERVING meets compiled code: a
   * thousand, because a storm of 300 after 300 here still compiled its path as it went and kept another room's
   * states waiting for over a second. The copy accepts them unpaced; only the server's own clients are paced.
   */
  private static final int CHURN_BATCHES = 20;
  private static final int CHURN_BATCH_SIZE = 50;

  /**
   * What a warm-up achieved.
   *
   * @param millis how long it ran
   * @param warm whether the fan-out met the bound before time ran out
   * @param lastP99Millis the 99th percentile lateness of its last slice, NaN if that slice had too few samples
   * @param boundMillis the bound it aimed at
   */
  public record Result(long millis, boolean warm, double lastP99Millis, double boundMillis) {}

  private Warmup() {}

  /**
   * @param config the server's settings; the copy keeps its fan-out settings and binds what the server binds
   * @param eventLoops the server's threads, which the copy's rooms and connections run on
   * @param time the server's clock and timer
   * @param maxMillis the longest the warm-up may take
   * @return what it achieved
   * @throws IOException when the copy cannot bind a loopback port
   * @throws InterruptedException when interrupted while waiting
   */
  public static Result run(ServerConfig config, EventLoops eventLoops, SystemTime time, long maxMillis)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    double bound = config.throttleWindowMillis() + LEEWAY_MILLIS;
    LatenessSlices lateness = new LatenessSlices(bound, WARM_SLICES_NEEDED, MIN_SAMPLES_PER_SLICE);
    ServerConfig copyConfig = privateCopy(config);
    RoomRegistry registry = new RoomRegistry(
        new RoomContext(copyConfig, time, time, eventLoops::next, new PrometheusMetrics(), null, false));
    Transports copy = new Transports(copyConfig, new NoneAuthenticator(), registry, time, time, List.of(),
        () -> OpsServices.Readiness.STARTING, new PrometheusMetrics(), eventLoops);
    copy.start();
    List<WarmupSession> sessions = new ArrayList<>();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", copy.grpcPort()).usePlaintext().build();
    HttpClient http = HttpClient.newHttpClient();
    ScheduledExecutorService sender = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "presence-warmup");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int u = 0; u < USERS; u++) {
        String user = "warmup-" + u;
        boolean overWebSocket = copy.wsPort() != 0 && u % 2 == 1;
        WarmupSession session = overWebSocket
            ? new WebSocketWarmupSession(http, copy.wsPort(), ROOM, user, lateness)
            : new GrpcWarmupSession(channel, ROOM, user, lateness);
        sessions.add(session);
        session.open();
      }
      long periodMicros = 1_000_000L / ((long) USERS * STATES_PER_USER_PER_SECOND);
      AtomicInteger next = new AtomicInteger();
      sender.scheduleAtFixedRate(() -> {
        WarmupSession session = sessions.get(next.getAndIncrement() % USERS);
        double now = nowMillis();
        session.sendState(now % 1000, now);
      }, 0, periodMicros, TimeUnit.MICROSECONDS);
      Future<?> churn = sender.submit(() -> churn(copy, http, lateness));
      long deadline = started + TimeUnit.MILLISECONDS.toNanos(maxMillis);
      while (!(lateness.warm() && churn.isDone())
          && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS) <= deadline) {
        Thread.sleep(SLICE_MILLIS);
        lateness.endSlice();
      }
      churn.cancel(true);
      if (churn.isDone() && !churn.isCancelled()) {
        rethrowFailure(churn);
      }
    } finally {
      sender.shutdownNow();
      sessions.forEach(WarmupSession::close);
      channel.shutdownNow();
      registry.beginShutdown();
      copy.shutdown();
      for (Room room : registry.rooms()) {
        room.executor().execute(room::shutdown);
      }
      copy.awaitTermination(1000);
      channel.awaitTermination(1, TimeUnit.SECONDS);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    return new Result(millis, lateness.warm(), lateness.lastP99Millis(), bound);
  }

  private static void rethrowFailure(Future<?> churn) throws IOException, InterruptedException {
    try {
      churn.get();
    } catch (ExecutionException e) {
      throw new IOException("warm-up sessions failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Opens and closes sessions, each on a connection of its own, alternating the bindings when both are on. */
  private static Void churn(Transports copy, HttpClient http, LatenessSlices lateness) throws Exception {
    for (int batch = 0; batch < CHURN_BATCHES && !Thread.currentThread().isInterrupted(); batch++) {
      boolean overWebSocket = copy.wsPort() != 0 && batch % 2 == 1;
      List<WarmupSession> sessions = new ArrayList<>();
      List<ManagedChannel> channels = new ArrayList<>();
      for (int i = 0; i < CHURN_BATCH_SIZE; i++) {
        String room = ROOM + "-churn-" + i;
        String user = "churn-" + batch + "-" + i;
        if (overWebSocket) {
          sessions.add(new WebSocketWarmupSession(http, copy.wsPort(), room, user, lateness));
        } else {
          ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", copy.grpcPort()).usePlaintext().build();
          channels.add(channel);
          sessions.add(new GrpcWarmupSession(channel, room, user, lateness));
        }
      }
      sessions.forEach(WarmupSession::open);
      Thread.sleep(SLICE_MILLIS / 5);
      sessions.forEach(WarmupSession::close);
      channels.forEach(ManagedChannel::shutdownNow);
    }
    return null;
  }

  private static ServerConfig privateCopy(ServerConfig config) {
    return config.toBuilder()
        .host("127.0.0.1").port(0).wsPort(config.wsEnabled() ? ServerConfig.ANY_FREE_PORT : 0).metricsPort(0)
        .authMode(AuthMode.NONE).jwtSecret("").jwtPublicKeyFile("").jwtIssuer("").jwtAudience("")
        .tlsCertFile("").tlsKeyFile("").tlsClientCaFile("")
        .cluster(List.of()).demo(false).warmupMillis(0).acceptRatePerCore(0)
        .maxSessionsPerRoom(Math.max(USERS, config.maxSessionsPerRoom()))
        .maxSessionsTotal(Math.max(USERS, config.maxSessionsTotal()))
        .build();
  }

  static double nowMillis() {
    return System.nanoTime() / 1e6;
  }
}
