package dev.presence.bench.driver.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.UserSession;
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

/** The {@link PresenceDriver} against an embedded reference server on a real loopback port. */
class PresenceDriverIT {
  private PresenceServer server;
  private PresenceDriver driver;

  @BeforeEach
  void start() throws Exception {
    server = PresenceServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).metricsPort(0).build())
        .build()
        .start();
    driver = new PresenceDriver("127.0.0.1", server.port());
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
  void openFailsWithTheServersReasonWhenTheServerRefusesTheSession() throws Exception {
    CompletableFuture<UserSession> open = driver.open("not a valid room id!", 1, new Recorder());

    assertThat(open).failsWithin(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("INVALID_ARGUMENT");
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
  void aSessionTheServerEndsIsCountedAsAFaultUnderItsStatus() throws Exception {
    driver.open("room-d", 1, new Recorder()).get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);

    server.shutdown(Duration.ofSeconds(2));

    Poll.until("the driver counts the ended call", () -> !driver.faults().isEmpty(), driver::faults);
    assertThat(driver.faults()).hasSize(1).allSatisfy((reason, count) -> {
      assertThat(reason).startsWith("call ended by the server: ");
      assertThat(count).isEqualTo(1);
    });
  }
}
