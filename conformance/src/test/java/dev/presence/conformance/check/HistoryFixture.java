package dev.presence.conformance.check;

import com.google.protobuf.Struct;
import dev.presence.conformance.driver.RunRecord;
import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.scenario.Scenario;
import dev.presence.conformance.scenario.ScenarioStates;
import dev.presence.conformance.scenario.Step;
import dev.presence.protocol.v1.Ack;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.MemberJoined;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.SnapshotComplete;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.UpdateState;
import io.grpc.Status;
import dev.presence.protocol.v1.User;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hand-made histories for checker tests: a scenario plus the frames a server, right or wrong, would have produced.
 * Scenario users are their own wire ids here.
 */
final class HistoryFixture {

  private final Scenario scenario;
  private final List<Observation> history = new ArrayList<>();
  private long nowNanos;

  HistoryFixture(Step... steps) {
    this.scenario = new Scenario(Arrays.asList(steps));
  }

  HistoryFixture at(long millis) {
    nowNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    return this;
  }

  HistoryFixture step(int index) {
    history.add(new Observation.StepStarted(nowNanos, index, scenario.steps().get(index).toString()));
    return this;
  }

  HistoryFixture settled(int index) {
    history.add(new Observation.Settled(nowNanos, index));
    return this;
  }

  HistoryFixture deadlinePassed(int index, long boundMillis) {
    history.add(new Observation.DeadlinePassed(nowNanos, index, TimeUnit.MILLISECONDS.toNanos(boundMillis)));
    return this;
  }

  HistoryFixture opened(String session, String user, String... members) {
    Opened.Builder opened = Opened.newBuilder()
        .setSessionId("id-" + session)
        .setSelf(User.newBuilder().setUserId(user))
        .setProtocolVersion(1)
        .setLimits(Limits.newBuilder().setThrottleWindowMillis(50).setMaxStateBytes(8192).setMaxSubscriptions(16)
            .setMaxFollows(256).setMaxInboundFrameBytes(65536).setMaxSessionsPerUser(16)
            .setMaxSessionsPerRoom(1000).setLeaveDetectionMillis(10_000).setMaxStateDepth(32)
            .setMaxOutboundFrameBytes(262_144));
    opened.addMembers(User.newBuilder().setUserId(user));
    for (String m : members) {
      opened.addMembers(User.newBuilder().setUserId(m));
    }
    return received(session, ConnectResponse.newBuilder().setOpened(opened).build());
  }

  HistoryFixture joined(String session, String user) {
    return received(session, ConnectResponse.newBuilder()
        .setMemberJoined(MemberJoined.newBuilder().setUser(User.newBuilder().setUserId(user))).build());
  }

  HistoryFixture subscribedAll(String session, String subscriptionId, PresenceEvent... snapshot) {
    sent(session, ConnectRequest.newBuilder().setRequestId(1).setSubscribe(Subscribe.newBuilder()
        .setSubscriptionId(subscriptionId)
        .setTarget(SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()))).build());
    if (snapshot.length > 0) {
      events(session, snapshot);
    }
    return received(session, ConnectResponse.newBuilder().setSnapshotComplete(
        SnapshotComplete.newBuilder().setSubscriptionId(subscriptionId).setRequestId(1)).build());
  }

  HistoryFixture update(String session, int stepIndex, int n) {
    return sent(session, ConnectRequest.newBuilder()
        .setUpdateState(UpdateState.newBuilder().setState(ScenarioStates.of(session, stepIndex, n))).build());
  }

  HistoryFixture events(String session, PresenceEvent... events) {
    return received(session, ConnectResponse.newBuilder()
        .setPresence(PresenceBatch.newBuilder().addAllEvents(List.of(events))).build());
  }

  HistoryFixture ack(String session, long requestId) {
    return received(session, ConnectResponse.newBuilder().setAck(Ack.newBuilder().setRequestId(requestId)).build());
  }

  HistoryFixture kitEnded(String session, EndKind how) {
    history.add(new Observation.KitEnded(nowNanos, session, how));
    return this;
  }

  HistoryFixture ended(String session, Status.Code code) {
    history.add(new Observation.Ended(nowNanos, session, code, "", Map.of(), ""));
    return this;
  }

  /** Adds an observation made at the fixture's current time. */
  HistoryFixture observe(java.util.function.LongFunction<Observation> observation) {
    history.add(observation.apply(nowNanos));
    return this;
  }

  HistoryFixture sent(String session, ConnectRequest frame) {
    history.add(new Observation.Sent(nowNanos, session, frame));
    return this;
  }

  HistoryFixture received(String session, ConnectResponse frame) {
    history.add(new Observation.Received(nowNanos, session, frame));
    return this;
  }

  static PresenceEvent state(String user, String fromSession, int stepIndex, int n, String... subscriptionIds) {
    Struct state = ScenarioStates.of(fromSession, stepIndex, n);
    return PresenceEvent.newBuilder().setUserId(user).setState(state)
        .addAllSubscriptionIds(List.of(subscriptionIds)).build();
  }

  static PresenceEvent nullEvent(String user, NullReason reason, String... subscriptionIds) {
    return PresenceEvent.newBuilder().setUserId(user).setNullReason(reason)
        .addAllSubscriptionIds(List.of(subscriptionIds)).build();
  }

  RunAnalysis analysis() {
    return analysis(-1, "");
  }

  /** The analysis of a run that could not complete step {@code stoppedAt}, for the reason given. */
  RunAnalysis analysisStoppedAt(int stoppedAt, String reason) {
    return analysis(stoppedAt, reason);
  }

  private RunAnalysis analysis(int abortedAt, String reason) {
    List<String> users = scenario.steps().stream()
        .filter(Step.Join.class::isInstance).map(s -> ((Step.Join) s).user()).distinct().toList();
    Map<String, String> identity = new java.util.HashMap<>();
    users.forEach(u -> identity.put(u, u));
    return new RunAnalysis(new RunRecord(scenario, history, identity, 50, 1, Timing.defaults(), abortedAt, reason));
  }
}
