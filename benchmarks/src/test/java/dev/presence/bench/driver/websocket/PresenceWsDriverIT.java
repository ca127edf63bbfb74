package dev.presence.bench.driver.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.UserSession;
import dev.presence.bench.driver.grpc.PresenceDriver;
import dev.presence.bench.support.Poll;
import dev.presence.bench.support.Recorder;
import dev.presence.bench.support.TwoRooms;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link PresenceWsDriver} against an embedded reference server serving both bindings on real loopback
 * ports.
 */
class PresenceWsDriverIT {
  private PresenceServer server;
  private PresenceWsDriver driver;

  @BeforeEach
  void start() throws Exception {
    server = PresenceServer.builder(ServerConfig.builder().host("127.0.0.1").port(0)
            .wsPort(ServerConfig.ANY_FREE_PORT).metricsPort(0).build())
        .build()
        .start();
    driver = new PresenceWsDriver("127.0.0.1", server.wsPort());
  }

  @AfterEach
  void stop() throws Exception {
    driver.close();
    server.shutdown(Duration.ofSeconds(2));
  }

  @Test
  void everyMemberGetsEveryMembersLatestStateAndRoomsStayApart() throws Exception {
    try (TwoRooms rooms = TwoRooms.open(driver)) {
      assertThat(server.sessionCount()).isEqualTo(6);

      rooms.sendRounds(20);

      rooms.awaitEveryMemberHasEveryMembersState(19);
      rooms.assertIsolatedAndOrdered();
      assertThat(driver.faults()).isEmpty();
    }
  }

  @Test
  void sessionsOfBothBindingsShareARoom() throws Exception {
    try (PresenceDriver grpc = new PresenceDriver("127.0.0.1", server.port())) {
      Recorder overGrpc = new Recorder();
      Recorder overWs = new Recorder();
      UserSession a = grpc.open("room-m", 1, overGrpc).get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      UserSession b = driver.open("room-m", 2, overWs).get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);

      a.send(new CursorState(1, 0, System.nanoTime(), 1, 1));
      b.send(new CursorState(2, 0, System.nanoTime(), 2, 2));

      Poll.until("each binding's session has the other's state",
          () -> overGrpc.has(2, 0) && overWs.has(1, 0), () -> "gRPC " + overGrpc + ", WebSocket " + overWs);
      a.close();
      b.close();
      assertThat(grpc.faults()).isEmpty();
      assertThat(driver.faults()).isEmpty();
    }
  }

  @Test
  void openFailsWithTheServersReasonWhenTheServerRefusesTheSession() {
    CompletableFuture<UserSession> open = driver.open("not a valid room id!", 1, new Recorder());

    assertThat(open).failsWithin(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("session_end INVALID_ARGUMENT INVALID_ROOM_ID");
    assertThat(driver.faults()).isEmpty();
  }

  @Test
  void openFailsAsAConnectionFaultOnAPortThatIsNoWebSocketServer() throws Exception {
    try (PresenceWsDriver onTheGrpcPort = new PresenceWsDriver("127.0.0.1", server.port())) {
      CompletableFuture<UserSession> open = onTheGrpcPort.open("room-e", 1, new Recorder());

      assertThat(open).failsWithin(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(onTheGrpcPort.faults()).containsOnlyKeys("connection failed");
    }
  }

  @Test
  void closingASessionEndsItOnTheServer() throws Exception {
    UserSession session = driver.open("room-c", 1, new Recorder()).get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(server.sessionCount()).isEqualTo(1);

    session.close();
    session.close();

    Poll.until("the server forgets the session", () -> server.sessionCount() == 0, server::sessionCount);
    assertThat(driver.faults()).isEmpty();
  }

  @Test
  void aSessionTheServerEndsIsCountedOnceUnderItsStatus() throws Exception {
    driver.open("room-d", 1, new Recorder()).get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);

    server.shutdown(Duration.ofSeconds(2));

    Poll.until("the driver counts the ended session", () -> !driver.faults().isEmpty(), driver::faults);
    assertThat(driver.faults()).hasSize(1).allSatisfy((reason, count) -> {
      assertThat(reason).startsWith("session ended by the server: session_end ");
      assertThat(count).isEqualTo(1);
    });
  }
}
