package dev.presence.cli;

import static dev.presence.client.testing.FakePresenceServer.batch;
import static dev.presence.client.testing.FakePresenceServer.snapshotComplete;
import static dev.presence.client.testing.FakePresenceServer.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.NullReason;
import dev.presence.client.State;
import dev.presence.client.testing.FakePresenceServer;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.protocol.v1.ConnectRequest;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PresenceCliTest {
  private final FakePresenceServer server = new FakePresenceServer(true);
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void close() {
    server.close();
  }

  private CompletableFuture<Integer> runAsync(InputStream in, String... args) {
    return CompletableFuture.supplyAsync(
        () -> PresenceCli.run(args, in, new PrintWriter(out, true), new PrintWriter(err, true)));
  }

  private static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sendFromArgumentsThenLeaves() throws Exception {
    CompletableFuture<Integer> status = runAsync(stdin(""), "send", "--target", server.target(), "--room", "r1",
        "--user", "cli", "--name", "Cli", "--linger-millis", "0", "{\"cursor\":", "{\"x\": 5}}");
    Conn conn = server.awaitConnection();
    ConnectRequest open = conn.open("cli", "cli");
    assertThat(open.getOpen().getDevUserId()).isEqualTo("cli");
    assertThat(open.getOpen().getDevDisplayName()).isEqualTo("Cli");
    assertThat(open.getOpen().getRoomId()).isEqualTo("r1");
    ConnectRequest update = conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    assertThat(State.of(update.getUpdateState().getState()).pathDouble("cursor.x")).hasValue(5.0);
    assertThat(conn.awaitClientEnd()).extracting(ConnectRequest::getFrameCase)
        .containsExactly(ConnectRequest.FrameCase.LEAVE);
    assertThat(status.get(5, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void sendStreamsJsonLinesAndTheLastOneArrives() throws Exception {
    CompletableFuture<Integer> status = runAsync(stdin("{\"n\":1}\n\n{\"n\":2}\n{\"n\":3}\n"), "send",
        "--target", server.target(), "--room", "r1", "--user", "cli", "--linger-millis", "200");
    Conn conn = server.awaitConnection();
    conn.open("cli", "cli");
    java.util.List<ConnectRequest> frames = new java.util.ArrayList<>();
    frames.add(conn.expect(ConnectRequest.FrameCase.UPDATE_STATE));
    frames.addAll(conn.awaitClientEnd());
    assertThat(status.get(5, TimeUnit.SECONDS)).isZero();
    ConnectRequest lastUpdate = frames.stream().filter(ConnectRequest::hasUpdateState)
        .reduce((a, b) -> b).orElseThrow();
    assertThat(State.of(lastUpdate.getUpdateState().getState()).getDouble("n")).isEqualTo(3.0);
    assertThat(frames.get(frames.size() - 1).hasLeave()).isTrue();
  }

  @Test
  void sendRejectsALineThatIsNotAnObjectWithoutEchoingIt() throws Exception {
    CompletableFuture<Integer> status = runAsync(stdin("{\"ok\":1}\n[\"secret\"]\n"), "send",
        "--target", server.target(), "--room", "r1", "--user", "cli");
    Conn conn = server.awaitConnection();
    conn.open("cli", "cli");
    assertThat(status.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(err.toString()).contains("line 2").doesNotContain("secret");
  }

  @Test
  void aStateArgumentThatIsNotAnObjectIsAUsageErrorThatDoesNotEchoIt() {
    String[][] commands = {{"send", "--room", "r1", "[\"secret\"]"}, {"join", "--room", "r1", "--state", "\"secret\""}};
    for (String[] args : commands) {
      StringWriter errors = new StringWriter();
      int status = PresenceCli.run(args, stdin(""), new PrintWriter(out, true), new PrintWriter(errors, true));
      assertThat(status).as(args[0]).isEqualTo(2);
      assertThat(errors.toString()).as(args[0]).contains("not a JSON object").doesNotContain("secret");
    }
  }

  @Test
  void joinPrintsMembersAndPresenceUntilAFatalEndThenFails() throws Exception {
    CompletableFuture<Integer> status = runAsync(stdin(""), "join", "--target", server.target(), "--room", "r1",
        "--user", "cli", "--name", "Cli", "--state", "{\"typing\":true}");
    Conn conn = server.awaitConnection();
    conn.open("cli", "cli", "alice");
    ConnectRequest sub = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(batch(state("alice", State.fromJson("{\"x\":1}").toStruct(), id)));
    conn.send(snapshotComplete(id, sub.getRequestId()));
    ConnectRequest update = conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    assertThat(State.of(update.getUpdateState().getState()).getBoolean("typing")).isTrue();
    conn.send(batch(FakePresenceServer.nul("alice", dev.presence.protocol.v1.NullReason.NULL_REASON_LEFT)));
    conn.send(FakePresenceServer.left("alice", dev.presence.protocol.v1.NullReason.NULL_REASON_LEFT));
    Harness.await("the null printed", () -> out.toString().contains("alice null LEFT"));
    conn.fail(Status.PERMISSION_DENIED.withDescription("scripted end"));
    assertThat(status.get(5, TimeUnit.SECONDS)).as("a fatal end is a failure").isEqualTo(1);
    assertThat(err.toString()).contains("error: session ended: PERMISSION_DENIED: scripted end");
    assertThat(out.toString()).contains("+ alice (ALICE)", "alice {\"x\":1}", "alice null LEFT", "- alice LEFT",
        "# CLOSED");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.presence.cli.CliRun#longRunning")
  void aFatalEndFailsTheCommand(String name, List<String> command) throws Exception {
    CompletableFuture<Integer> status = runAsync(CliRun.openStdin("{\"typing\":true}\n"),
        CliRun.args(command, "--target", server.target(), "--room", "r1", "--user", "cli"));
    Conn conn = server.awaitConnection();
    conn.open("cli", "cli");
    conn.fail(Status.PERMISSION_DENIED.withDescription("scripted end"));
    assertThat(status.get(5, TimeUnit.SECONDS)).as("status; err=%s", err).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactly("error: session ended: PERMISSION_DENIED: scripted end");
  }

  @Test
  void unreachableServerFailsWithinTheConnectTimeout() throws Exception {
    String target = server.target();
    server.close();
    CompletableFuture<Integer> status = runAsync(stdin(""), "send", "--target", target, "--room", "r1",
        "--user", "cli", "--connect-timeout-millis", "300", "{}");
    assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(err.toString()).contains("no session with");
  }

  @Test
  void missingRoomIsAUsageError() {
    int status = PresenceCli.run(new String[] {"send", "{}"}, stdin(""), new PrintWriter(out, true),
        new PrintWriter(err, true));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("--room");
  }

  @Test
  void watchTableShowsStatesAndNullsWithReasons() {
    Map<String, Render.Row> rows = new LinkedHashMap<>();
    rows.put("bob", new Render.Row("bob", "Bob", true, null, NullReason.CLEARED));
    rows.put("alice", new Render.Row("alice", "Alice", true, State.fromJson("{\"x\":1}"), null));
    rows.put("carol", new Render.Row("carol", "", false, null, NullReason.TIMED_OUT));
    String table = Render.table(rows, 80);
    assertThat(table.lines()).containsExactly(
        "USER          NAME   PRESENCE",
        "alice         Alice  {\"x\":1}",
        "bob           Bob    null (CLEARED)",
        "carol (gone)         null (TIMED_OUT)");
    assertThat(Render.cut("abcdef", 4)).isEqualTo("abc…");
  }
}
