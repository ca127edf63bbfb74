package dev.presence.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.State;
import dev.presence.server.support.ServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code send} against the reference server: each state set is confirmed by where it went, never by what it says. */
class SendConfirmationTest {
  private ServerFixture server;
  private Observer eve;

  @BeforeEach
  void start() throws Exception {
    server = ServerFixture.start();
    eve = Observer.join(server.port(), "doc-42", "eve");
  }

  @AfterEach
  void stop() throws Exception {
    eve.close();
    server.close();
  }

  private String target() {
    return "127.0.0.1:" + server.port();
  }

  @Test
  void aStateFromTheArgumentsIsConfirmedByRoomUserAndSize() throws Exception {
    String json = "{\"secret\":\"s3cr3t\",\"cursor\":{\"x\":1}}";
    CliRun send = CliRun.start("send", "--target", target(), "--room", "doc-42", "--user", "ada", json);
    assertThat(send.awaitStatus()).isZero();
    int bytes = State.fromJson(json).serializedSize();
    assertThat(send.out().lines()).containsExactly("set room=doc-42 user=ada bytes=" + bytes);
    assertThat(send.out() + send.err()).doesNotContain("s3cr3t");
    eve.awaitLeft("ada");
    assertThat(eve.presence.changes).first().satisfies(c -> assertThat(c.state()).isEqualTo(State.fromJson(json)));
  }

  @Test
  void eachLineFromStandardInputIsConfirmedByItsLineNumber() throws Exception {
    String first = "{\"secret\":\"one\"}";
    String last = "{\"secret\":\"three\",\"n\":3}";
    CliRun send = CliRun.start(CliRun.stdin(first + "\n\n" + last + "\n"), "send", "--target", target(),
        "--room", "doc-42", "--user", "ada", "--stay");
    eve.awaitState("ada", State.fromJson(last));
    assertThat(send.out().lines()).containsExactly(
        "set line=1 room=doc-42 user=ada bytes=" + State.fromJson(first).serializedSize(),
        "set line=3 room=doc-42 user=ada bytes=" + State.fromJson(last).serializedSize());
    assertThat(send.out() + send.err()).doesNotContain("one", "three");
    send.stop.stop();
    assertThat(send.awaitStatus()).isZero();
  }

  @Test
  void aStateTheServerWouldRefuseIsReportedByLineWithoutItsContentAndFails() throws Exception {
    String tooLarge = "{\"secret\":\"" + "x".repeat(server.config().maxStateBytes()) + "\"}";
    CliRun send = CliRun.start(CliRun.stdin("{\"ok\":1}\n" + tooLarge + "\n"), "send", "--target", target(),
        "--room", "doc-42", "--user", "ada");
    assertThat(send.awaitStatus()).isEqualTo(1);
    assertThat(send.out().lines()).singleElement().asString().startsWith("set line=1 ");
    assertThat(send.err()).startsWith("line 2: STATE_TOO_LARGE").doesNotContain("xxx");
  }
}
