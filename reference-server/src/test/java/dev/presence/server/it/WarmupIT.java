package dev.presence.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The warm-up before SERVING: health stays NOT_SERVING while it runs, and it leaves nothing behind (no room, no
 * session, no port, no thread). Whether the warm-up reached the bound depends on the machine, so either outcome's
 * log line is accepted; the first burst's latency after SERVING is measured by the benchmark suite.
 */
class WarmupIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private final ListAppender<ILoggingEvent> serverLog = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(PresenceServer.class);
  private Level previousLevel;
  private PresenceServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    logger.detachAppender(serverLog);
    logger.setLevel(previousLevel);
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdown(Duration.ZERO);
    }
  }

  @Test
  @DisplayName("Health is NOT_SERVING during the warm-up and SERVING after it; the warm-up leaves nothing behind")
  void servingOnlyAfterWarmup() throws Exception {
    previousLevel = logger.getLevel();
    logger.setLevel(Level.INFO);
    serverLog.start();
    logger.addAppender(serverLog);
    int port = freePort();
    ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(port).wsPort(ServerConfig.ANY_FREE_PORT)
        .warmupMillis(10_000).build();
    CompletableFuture<PresenceServer> started = CompletableFuture.supplyAsync(() -> {
      try {
        return PresenceServer.builder(config).build().start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    List<ServingStatus> seenWhileStarting = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!started.isDone() && System.nanoTime() < deadline) {
      ServingStatus status = health();
      if (status != null) {
        seenWhileStarting.add(status);
      }
      Thread.sleep(20);
    }
    server = started.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);

    // SERVING turns on a moment before start() returns, so the last answers may be SERVING; once SERVING, always.
    assertThat(seenWhileStarting).as("health answers while the warm-up runs").startsWith(ServingStatus.NOT_SERVING);
    int firstServing = seenWhileStarting.indexOf(ServingStatus.SERVING);
    if (firstServing >= 0) {
      assertThat(seenWhileStarting.subList(firstServing, seenWhileStarting.size())).containsOnly(ServingStatus.SERVING);
    }
    assertThat(health()).isEqualTo(ServingStatus.SERVING);
    assertThat(serverLog.list).map(ILoggingEvent::getFormattedMessage)
        .filteredOn(m -> m.startsWith("event=warmed_up") || m.startsWith("event=warmup_incomplete")).hasSize(1);
    assertThat(server.roomCount()).isZero();
    assertThat(server.sessionCount()).isZero();
    assertThat(server.listenAddresses()).extracting(a -> a.getPort()).containsExactly(port, server.wsPort());
    awaitNoWarmupThread();
  }

  private ServingStatus health() {
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } catch (StatusRuntimeException notListeningYet) {
      return null;
    }
  }

  private static void awaitNoWarmupThread() throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("presence-warmup"))) {
      assertThat(System.nanoTime()).as("the warm-up's sender thread ends").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
