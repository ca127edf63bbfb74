package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Max connection age: GOAWAY after the age, then the grace, then the connection closes. */
class ConnectionAgeIT {
  private ServerFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  @DisplayName("A connection older than max age is closed after the grace; its session ends with one LEFT null and the client can reconnect")
  void agedConnectionEnds() throws Exception {
    int ageMillis = 1000;
    int graceMillis = 500;
    fx = ServerFixture.start(b -> b.maxConnectionAgeMillis(ageMillis).maxConnectionAgeGraceMillis(graceMillis));
    ManagedChannel aliceChannel = fx.channel();
    long openedAt = System.nanoTime();
    TestSession alice = TestSession.open(aliceChannel, "age-room", "alice");
    alice.send(update(1));
    // Bob's connection must outlive Alice's to watch her go: ages are jittered by +-10%, so Bob connects
    // 700 ms later and his connection ends at least 700 + 900 + 500 ms after Alice opened, while hers
    // ends by 1100 + 500 ms.
    alice.drainFor(Duration.ofMillis(700));
    TestSession bob = fx.open("age-room", "bob");
    bob.send(subscribe(1, "all", all()));
    bob.awaitEvent("alice", x(1));

    Status status = alice.awaitClose(Duration.ofSeconds(10));
    long livedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt);
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    // grpc-java jitters the age by +-10%; the grace comes on top.
    assertThat(livedMillis).isGreaterThanOrEqualTo(ageMillis * 9 / 10);
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));

    // The channel reconnects on demand: a new session on it works.
    TestSession again = TestSession.open(aliceChannel, "age-room", "alice");
    assertThat(again.opened().getSessionId()).isNotEmpty();
    again.sync();
  }
}
