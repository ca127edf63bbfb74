package dev.presence.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.config.AuthMode;
import dev.presence.server.support.ChildProcess;
import dev.presence.server.support.ServerFixture;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exit statuses against the reference server: a fatal end of the session fails the command, a stop the user asks
 * for ends it cleanly.
 */
class ExitStatusTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-test-only";
  /** A new JVM's start and first session, on a machine that may be busy. */
  private static final Duration CHILD_START = Duration.ofSeconds(30);
  private ServerFixture server;
  private Observer eve;

  @AfterEach
  void stop() throws Exception {
    if (eve != null) {
      eve.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private String target() {
    return "127.0.0.1:" + server.port();
  }

  // Every command's reaction to a fatal end is covered against the scripted server in PresenceCliTest: with a
  // token that cannot be refreshed the client keeps reopening until the server's clock-skew allowance for expired
  // tokens runs out, some seconds of load that one command is enough to pay for.
  @Test
  void expiredCredentialsEndTheCommandWithAFailure() throws Exception {
    server = ServerFixture.start(b -> b.authMode(AuthMode.JWT).jwtSecret(SECRET).jwtIssuer("tests"));
    // JWT expiries are whole seconds, so this token lives one to two seconds: long enough to join.
    String token = Jwts.builder().subject("ada").issuer("tests")
        .expiration(Date.from(Instant.now().plusSeconds(2)))
        .signWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8))).compact();
    CliRun join = CliRun.start("join", "--target", target(), "--room", "r", "--token", token);
    join.awaitOut("# joined room r as ada");
    assertThat(join.awaitStatus()).as("status; out=%s", join.out()).isEqualTo(1);
    assertThat(join.err()).startsWith("error: session ended: ").contains("expired");
    assertThat(join.out()).contains("# CLOSED (");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.presence.cli.CliRun#longRunning")
  void aStopEndsTheCommandCleanlyAndTheRoomSeesItLeave(String name, List<String> command) throws Exception {
    server = ServerFixture.start();
    eve = Observer.join(server.port(), "r", "eve");
    CliRun run = CliRun.start(CliRun.openStdin("{\"typing\":true}\n"),
        CliRun.args(command, "--target", target(), "--room", "r", "--user", "ada"));
    eve.awaitJoined("ada");
    run.stop.stop();
    assertThat(run.awaitStatus()).as("status; err=%s", run.err()).isZero();
    eve.awaitLeft("ada");
  }

  @Test
  void aStopBeforeTheSessionOpensIsCleanToo() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    CliRun run = CliRun.start("join", "--target", "127.0.0.1:" + closedPort, "--room", "r", "--user", "ada",
        "--connect-timeout-millis", "60000");
    run.stop.stop();
    assertThat(run.awaitStatus()).as("status; err=%s", run.err()).isZero();
  }

  @Test
  void sigtermEndsTheProcessWithStatusZeroAfterLeaving() throws Exception {
    server = ServerFixture.start();
    eve = Observer.join(server.port(), "r", "eve");
    try (ChildProcess join = ChildProcess.start(PresenceCli.class, "join", "--target", target(), "--room", "r",
        "--user", "ada")) {
      join.awaitLine("the joined line", l -> l.startsWith("# joined room r as ada"), CHILD_START);
      join.process().destroy();
      assertThat(join.process().waitFor(CliRun.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(join.process().exitValue()).isZero();
      eve.awaitLeft("ada");
    }
  }

  @Test
  void everyCommandsHelpListsTheExitStatuses() {
    for (String command : List.of("join", "watch", "send")) {
      StringWriter out = new StringWriter();
      int status = PresenceCli.run(new String[] {command, "--help"}, CliRun.stdin(""), new PrintWriter(out, true),
          new PrintWriter(new StringWriter(), true));
      assertThat(status).isZero();
      assertThat(out.toString()).as(command).contains("Exit status:")
          .containsPattern("(?m)^ +0 +Clean end")
          .containsPattern("(?m)^ +1 +Failure")
          .containsPattern("(?m)^ +2 +Usage error");
    }
  }

  @Test
  void aUsageErrorExitsWithTwo() {
    int status = PresenceCli.run(new String[] {"join", "--no-such-option"}, CliRun.stdin(""),
        new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
    assertThat(status).isEqualTo(2);
  }
}
