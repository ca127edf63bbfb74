package dev.presence.conformance.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.history.Binding;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.scenario.Step;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.SessionEnd;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PRS-WS-10 over hand-made traces: session_end, the Close frame after it, and what may not come. */
class SessionEndCheckerTest {

  private static final SessionEnd OPEN_REQUIRED = SessionEnd.newBuilder().setCode(3).setReason("OPEN_REQUIRED")
      .setMessage("first frame must be open").build();

  private static HistoryFixture session(Binding binding) {
    return new HistoryFixture(new Step.Join("s1", "u1", "r1", false)).step(0)
        .observe(t -> new Observation.Started(t, "s1", binding, "endpoint"));
  }

  private static HistoryFixture sessionEnd(HistoryFixture f, SessionEnd end) {
    return f.observe(t -> new Observation.SessionEndReceived(t, "s1", end));
  }

  private static HistoryFixture close(HistoryFixture f, int code, String reason) {
    return f.observe(t -> new Observation.WebSocketClosed(t, "s1", code, reason));
  }

  private static List<Violation> check(HistoryFixture f) {
    return new SessionEndChecker().check(f.analysis());
  }

  @Test
  void sessionEndThenAnAgreeingCloseHolds() {
    assertThat(check(close(sessionEnd(session(Binding.WEBSOCKET), OPEN_REQUIRED), 4003, "OPEN_REQUIRED")))
        .isEmpty();
    assertThat(check(close(sessionEnd(session(Binding.WEBSOCKET), SessionEnd.getDefaultInstance()), 1000, "")))
        .isEmpty();
  }

  @Test
  void aCloseThatDisagreesWithSessionEndFails() {
    assertThat(check(close(sessionEnd(session(Binding.WEBSOCKET), OPEN_REQUIRED), 4004, "OPEN_REQUIRED")))
        .singleElement().extracting(Violation::message).asString().contains("must be 4003 'OPEN_REQUIRED'");
    assertThat(check(close(sessionEnd(session(Binding.WEBSOCKET), OPEN_REQUIRED), 4003, "")))
        .hasSize(1);
  }

  @Test
  void aStatusCloseWithoutSessionEndFailsButAnAnswerToTheKitsCloseDoesNot() {
    assertThat(check(close(session(Binding.WEBSOCKET), 4003, "OPEN_REQUIRED"))).singleElement()
        .extracting(Violation::message).asString().contains("without a session_end");
    assertThat(check(close(session(Binding.WEBSOCKET), 1000, ""))).hasSize(1);
    assertThat(check(close(session(Binding.WEBSOCKET).kitEnded("s1", EndKind.HALF_CLOSE), 1000, ""))).isEmpty();
    assertThat(check(close(session(Binding.WEBSOCKET), Observation.WebSocketClosed.NO_CLOSE_FRAME, ""))).isEmpty();
  }

  @Test
  void aFrameAfterSessionEndFails() {
    HistoryFixture f = sessionEnd(session(Binding.WEBSOCKET), OPEN_REQUIRED)
        .received("s1", ConnectResponse.newBuilder().setPong(Pong.newBuilder().setNonce(1)).build());
    assertThat(check(f)).singleElement().extracting(Violation::message).asString().contains("after session_end");
  }

  @Test
  void sessionEndOnTheGrpcBindingFails() {
    HistoryFixture f = sessionEnd(session(Binding.GRPC), OPEN_REQUIRED).ended("s1", Status.Code.INVALID_ARGUMENT);
    assertThat(check(f)).singleElement().extracting(Violation::message).asString().contains("gRPC call");
  }
}
