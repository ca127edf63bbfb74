package dev.presence.conformance.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.scenario.Step;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Opened;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** PRS-OPN-4 asks a session_id unique among live sessions only, so a retired session's id may come back. */
class OpenedCheckerTest {

  private static final String ROOM = "r";

  private static HistoryFixture twoSessions() {
    return new HistoryFixture(new Step.Join("s1", "u1", ROOM), new Step.Join("s2", "u2", ROOM));
  }

  private static ConnectResponse openedWithId(String sessionId, String user) {
    return ConnectResponse.newBuilder().setOpened(Opened.newBuilder().setSessionId(sessionId)
        .setSelf(dev.presence.protocol.v1.User.newBuilder().setUserId(user)).setProtocolVersion(1)
        .setLimits(dev.presence.protocol.v1.Limits.newBuilder().setThrottleWindowMillis(50))
        .addMembers(dev.presence.protocol.v1.User.newBuilder().setUserId(user))).build();
  }

  @Test
  void anIdHeldByALiveSessionIsAViolation() {
    HistoryFixture f = twoSessions();
    RunAnalysis run = f.step(0).received("s1", openedWithId("same", "u1")).settled(0)
        .step(1).received("s2", openedWithId("same", "u2")).settled(1).analysis();

    assertThat(OpenedChecker.contents().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("'same' is already held by a live session"));
  }

  @Test
  void anIdOfASessionTheServerEndedMayBeReused() {
    HistoryFixture f = twoSessions();
    RunAnalysis run = f.step(0).received("s1", openedWithId("same", "u1")).ended("s1", Status.Code.OK)
        .settled(0).step(1).received("s2", openedWithId("same", "u2")).settled(1).analysis();

    assertThat(OpenedChecker.contents().check(run)).isEmpty();
  }

  @Test
  void anIdOfASessionTheKitEndedMayBeReusedSinceTheServerMayHaveRetiredIt() {
    HistoryFixture f = twoSessions();
    RunAnalysis run = f.step(0).received("s1", openedWithId("same", "u1")).kitEnded("s1", EndKind.CANCEL)
        .settled(0).step(1).received("s2", openedWithId("same", "u2")).settled(1).analysis();

    assertThat(OpenedChecker.contents().check(run)).isEmpty();
  }

  @Test
  void anEmptyIdIsAViolation() {
    HistoryFixture f = twoSessions();
    RunAnalysis run = f.step(0).received("s1", openedWithId("", "u1")).settled(0).analysis();

    assertThat(OpenedChecker.contents().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("session_id is empty"));
  }
}
