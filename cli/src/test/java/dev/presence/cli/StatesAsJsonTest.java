package dev.presence.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.State;
import dev.presence.server.support.ServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code join} and {@code watch} against the reference server print another user's state as the JSON it was. */
class StatesAsJsonTest {
  private static final String STATE = "{\"x\":1,\"y\":-2,\"big\":9007199254740992,\"f\":0.1,"
      + "\"cursor\":{\"x\":100,\"y\":200.5},\"path\":[1,2,[3,{\"z\":-4}]],\"name\":\"Ada\"}";
  private ServerFixture server;
  private Observer ada;

  @BeforeEach
  void start() throws Exception {
    server = ServerFixture.start();
    ada = Observer.join(server.port(), "r", "ada");
    ada.client.presence().update(State.fromJson(STATE));
  }

  @AfterEach
  void stop() throws Exception {
    ada.close();
    server.close();
  }

  private String target() {
    return "127.0.0.1:" + server.port();
  }

  @Test
  void joinPrintsTheStateAsItsJson() throws Exception {
    CliRun join = CliRun.start("join", "--target", target(), "--room", "r", "--user", "eve");
    join.awaitOut("ada {");
    assertThat(join.out().lines()).contains("ada " + STATE);
    join.stop.stop();
    assertThat(join.awaitStatus()).isZero();
  }

  @Test
  void watchShowsTheStateAsItsJson() throws Exception {
    CliRun watch = CliRun.start("watch", "--target", target(), "--room", "r", "--user", "eve", "--plain",
        "--width", "200");
    watch.awaitOut(STATE);
    assertThat(watch.out().lines()).anyMatch(l -> l.startsWith("ada ") && l.endsWith("  " + STATE));
    watch.stop.stop();
    assertThat(watch.awaitStatus()).isZero();
  }
}
