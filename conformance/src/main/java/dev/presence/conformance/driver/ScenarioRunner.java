package dev.presence.conformance.driver;

import dev.presence.conformance.history.History;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.model.PresenceModel;
import dev.presence.conformance.noise.NoiseMonitor;
import dev.presence.conformance.model.SessionView;
import dev.presence.conformance.scenario.Scenario;
import dev.presence.conformance.scenario.ScenarioStates;
import dev.presence.conformance.scenario.Step;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ClearState;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.Leave;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.Unfollow;
import dev.presence.protocol.v1.Unsubscribe;
import dev.presence.protocol.v1.UpdateState;
import dev.presence.conformance.history.EndKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * Executes a {@link Scenario} against a server through {@link RawSession}s, one step at a time, and waits after
 * each step until the {@link PresenceModel} expectation holds for every live session or the delivery bound passes.
 * It never judges; checkers judge the {@link RunRecord} afterwards.
 */
public final class ScenarioRunner {

  private static final int PROTOCOL_VERSION = 1;
  private static final int RTT_SAMPLES = 5;
  private static final long NOISE_PING_NONCE_BASE = 0x4E015E0000L;
  private static final long BARRIER_PING_NONCE_BASE = 0xBA5E0000L;
  private static final long MIN_GRACE_MILLIS = 500;
  private static final long MIN_NOISE_PING_MILLIS = 100;

  private final Endpoints endpoints;
  private final Credentials credentials;
  private final Timing timing;
  private final String runPrefix;
  private final NoiseMonitor noise;
  private final Map<String, String> wireUserIds = new HashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Creates a runner.
   *
   * @param endpoints where the server under test serves sessions; the sessions of a scenario take them in turn, and
   *     scenarios that end sessions by a network fault need to know their addresses
   * @param credentials how to authenticate as each scenario user
   * @param timing the allowances
   * @param runPrefix a prefix that makes room ids unique to this run
   * @param noise where the runner records how late its own scheduled sends went out
   */
  public ScenarioRunner(Endpoints endpoints, Credentials credentials, Timing timing, String runPrefix,
      NoiseMonitor noise) {
    this.noise = noise;
    this.endpoints = endpoints;
    this.credentials = credentials;
    this.timing = timing;
    this.runPrefix = runPrefix;
  }

  /**
   * Runs a scenario to its end, or to the first step that cannot complete.
   *
   * @param scenario the scenario
   * @return the record of the run
   * @throws InterruptedException if interrupted
   */
  public RunRecord run(Scenario scenario) throws InterruptedException {
    Execution execution = new Execution(scenario, runPrefix + runs.incrementAndGet() + "-");
    try {
      return execution.execute();
    } finally {
      execution.closeAll();
    }
  }

  private static boolean acks(ConnectResponse frame, long requestId) {
    return frame.hasAck() && frame.getAck().getRequestId() == requestId;
  }

  private final class Execution {
    private final Scenario scenario;
    private final String roomPrefix;
    private final History history = History.systemClock();
    private final Map<String, RawSession> sessions = new LinkedHashMap<>();
    private final Map<String, FaultyPath> proxies = new HashMap<>();
    private long leaveDetectionMillis;
    private final PresenceModel model = new PresenceModel();
    private long requestIds;
    private boolean pendingLivenessWait;
    private boolean pendingUnobservableLeave;
    private long noisePings;
    private long barrierPings;
    private long throttleWindowMillis = 50;
    private long roundTripMillis;

    Execution(Scenario scenario, String roomPrefix) {
      this.scenario = scenario;
      this.roomPrefix = roomPrefix;
    }

    RunRecord execute() throws InterruptedException {
      List<Step> steps = scenario.steps();
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        history.append(new Observation.StepStarted(history.now(), i, step.toString()));
        Optional<String> problem = perform(i, step);
        if (problem.isPresent()) {
          return record(i, problem.get());
        }
        model.apply(i, step);
        settle(i);
        history.append(new Observation.Settled(history.now(), i));
      }
      return record(-1, "");
    }

    private RunRecord record(int abortedAt, String reason) {
      return new RunRecord(
          scenario, history.snapshot(), wireUserIds, throttleWindowMillis, roundTripMillis, timing, abortedAt,
          reason);
    }

    private Optional<String> perform(int index, Step step) throws InterruptedException {
      if (step instanceof Step.Join join) {
        return join(join);
      }
      RawSession session = sessions.get(step.session());
      if (step instanceof Step.Update update) {
        for (int n = 0; n < update.count(); n++) {
          if (n > 0) {
            pause(update.gapsMillis().get(n - 1));
          }
          session.send(frame().setUpdateState(UpdateState.newBuilder()
              .setState(ScenarioStates.of(update.session(), index, n))).build());
        }
        return awaitProcessedBeforeTwinsAct(step.session(), session);
      }
      if (step instanceof Step.Clear) {
        session.send(frame().setClearState(ClearState.getDefaultInstance()).build());
        return awaitProcessedBeforeTwinsAct(step.session(), session);
      }
      if (step instanceof Step.Subscribe sub) {
        return request(session, "snapshot_complete for " + sub.subscriptionId(),
            frame().setSubscribe(Subscribe.newBuilder()
                .setSubscriptionId(sub.subscriptionId())
                .setTarget(sub.target().toWire(this::wireUser))),
            (r, id) -> r.hasSnapshotComplete()
                && r.getSnapshotComplete().getSubscriptionId().equals(sub.subscriptionId()));
      }
      if (step instanceof Step.Unsubscribe unsub) {
        return request(session, "ack of unsubscribe", frame().setUnsubscribe(
            Unsubscribe.newBuilder().setSubscriptionId(unsub.subscriptionId())), ScenarioRunner::acks);
      }
      if (step instanceof Step.Follow follow) {
        return request(session, "ack of follow", frame().setFollow(
            Follow.newBuilder().setUserId(wireUser(follow.user()))), ScenarioRunner::acks);
      }
      if (step instanceof Step.Unfollow unfollow) {
        return request(session, "ack of unfollow", frame().setUnfollow(
            Unfollow.newBuilder().setUserId(wireUser(unfollow.user()))), ScenarioRunner::acks);
      }
      if (step instanceof Step.End end) {
        switch (end.how()) {
          case LEAVE_FRAME -> session.send(frame().setLeave(Leave.getDefaultInstance()).build());
          case HALF_CLOSE -> session.halfClose();
          case CANCEL -> session.cancel();
          case NETWORK_BLACKHOLE, NETWORK_RESET -> {
            FaultyPath path = proxies.get(end.session());
            if (path == null) {
              return Optional.of(end.how() + " needs the kit's fault proxy, and the kit does not know the "
                  + "server's address");
            }
            if (end.how() == EndKind.NETWORK_BLACKHOLE) {
              path.proxy().blackhole();
              pendingLivenessWait = true;
              pendingUnobservableLeave = !leaveObservable(end.session());
            } else {
              path.proxy().reset();
            }
          }
        }
        return Optional.empty();
      }
      throw new IllegalStateException("unknown step " + step);
    }

    private Optional<String> join(Step.Join join) throws InterruptedException {
      int from = history.size();
      RawSession session = RawSession.start(endpointFor(join.session()), join.session(),
          credentials.headersFor(join.user()), history);
      sessions.put(join.session(), session);
      Open.Builder open = Open.newBuilder()
          .setRoomId(roomPrefix + join.room())
          .setProtocolVersion(PROTOCOL_VERSION)
          .setClientAgent("presence-conformance");
      if (join.declaresPing()) {
        open.addCapabilities(Capability.CAPABILITY_PING);
        session.answerPings();
      }
      session.send(frame().setOpen(credentials.decorateOpen(join.user(), open)).build());
      Optional<Observation> reply = history.await(from, o ->
          (o instanceof Observation.Received r && r.session().equals(join.session()) && r.frame().hasOpened())
              || (o instanceof Observation.Ended e && e.session().equals(join.session())),
          timing.requestTimeout());
      if (reply.isEmpty()) {
        return Optional.of("no opened within " + timing.requestTimeout().toMillis() + " ms");
      }
      if (reply.get() instanceof Observation.Ended e) {
        return Optional.of("open refused: " + e.code() + " " + e.errorInfoReason() + " " + e.description());
      }
      ConnectResponse opened = ((Observation.Received) reply.get()).frame();
      wireUserIds.put(join.user(), opened.getOpened().getSelf().getUserId());
      throttleWindowMillis = opened.getOpened().getLimits().getThrottleWindowMillis();
      leaveDetectionMillis = Integer.toUnsignedLong(opened.getOpened().getLimits().getLeaveDetectionMillis());
      if (roundTripMillis == 0) {
        roundTripMillis = measureRoundTrip(session);
      }
      return Optional.empty();
    }

    /**
     * The model orders a user's states by step, the server by arrival: a state that another session of the same user
     * sends next, on its own connection, could reach the server first, and the user's presence would then rightly be
     * the older state. So when the user has another live session in the room, the step ends only once a pong shows
     * that the server has processed what this session sent: it processes a session's frames in order and answers a
     * ping at once (PRS-LIV-3).
     */
    private Optional<String> awaitProcessedBeforeTwinsAct(String name, RawSession session)
        throws InterruptedException {
      String user = model.userOf(name);
      String room = model.roomOf(name);
      boolean twin = sessions.keySet().stream().anyMatch(other -> !other.equals(name) && model.live(other)
          && model.userOf(other).equals(user) && model.roomOf(other).equals(room));
      if (!twin) {
        return Optional.empty();
      }
      long nonce = BARRIER_PING_NONCE_BASE + barrierPings++;
      int from = history.size();
      session.send(frame().setPing(Ping.newBuilder().setNonce(nonce)).build());
      Optional<Observation> pong = history.await(from, o -> o instanceof Observation.Received r
          && r.session().equals(name) && r.frame().hasPong() && r.frame().getPong().getNonce() == nonce,
          timing.requestTimeout());
      return pong.isPresent() ? Optional.empty() : Optional.of(unanswered(name, nonce, "pong"));
    }

    private long measureRoundTrip(RawSession session) throws InterruptedException {
      List<Long> samples = new ArrayList<>();
      for (int i = 0; i < RTT_SAMPLES; i++) {
        long nonce = 0x5EED0000L + i;
        int from = history.size();
        long start = System.nanoTime();
        session.send(frame().setPing(Ping.newBuilder().setNonce(nonce)).build());
        Optional<Observation> pong = history.await(from, o -> o instanceof Observation.Received r
            && r.frame().hasPong() && r.frame().getPong().getNonce() == nonce, timing.requestTimeout());
        if (pong.isEmpty()) {
          return timing.requestTimeout().toMillis();
        }
        samples.add(TimeUnit.NANOSECONDS.toMillis(pong.get().nanos() - start));
      }
      Collections.sort(samples);
      return samples.get(samples.size() / 2);
    }

    /**
     * Sends a request with the next request_id and waits for its answer, or a ProtocolError carrying its id. The wait
     * starts from where the history stood before the send: on a busy machine the answer can be recorded before this
     * thread runs again after sending.
     */
    private Optional<String> request(RawSession session, String awaited, ConnectRequest.Builder frame,
        BiPredicate<ConnectResponse, Long> answers) throws InterruptedException {
      long requestId = ++requestIds;
      int from = history.size();
      session.send(frame.setRequestId(requestId).build());
      Optional<Observation> reply = history.await(from, o -> o instanceof Observation.Received r
          && r.session().equals(session.name())
          && (answers.test(r.frame(), requestId)
              || (r.frame().hasError() && r.frame().getError().getRequestId() == requestId)),
          timing.requestTimeout());
      return reply.isPresent() ? Optional.empty() : Optional.of(unanswered(session.name(), requestId, awaited));
    }

    /** Records that a request went unanswered, which the answer checker judges, and says why the run stops. */
    private String unanswered(String session, long requestId, String awaited) {
      long waited = timing.requestTimeout().toMillis();
      history.append(new Observation.Unanswered(history.now(), session, requestId, awaited, waited));
      return "no " + awaited + " within " + waited + " ms";
    }

    /**
     * Sessions take the run's endpoints in turn, in the order they join; those that a scenario ends by a network
     * fault connect through a proxy of their own.
     */
    private Endpoint endpointFor(String session) {
      Endpoint endpoint = endpoints.forSession(sessions.size());
      boolean faulted = scenario.steps().stream().anyMatch(s -> s instanceof Step.End e
          && e.session().equals(session) && e.how().networkFault());
      if (!faulted || endpoint.address().isEmpty()) {
        return endpoint;
      }
      try {
        FaultyPath path = FaultyPath.to(endpoint);
        proxies.put(session, path);
        return path.endpoint();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot start the fault proxy: " + e.getMessage(), e);
      }
    }

    /**
     * A session lost to a blackhole stays live at the server until its leave-detection bound passes. When no live
     * session would see it leave, nothing tells the kit when the server let it go, so the step waits out the whole
     * bound; otherwise the witness's view settles the step.
     */
    private boolean leaveObservable(String session) {
      String room = model.roomOf(session);
      if (model.liveSessions(model.userOf(session), room) > 1) {
        return false;
      }
      return model.sessions().stream().anyMatch(s -> !s.equals(session) && model.live(s)
          && model.roomOf(s).equals(room));
    }

    /**
     * Waits until the model's expectation holds for every live session. Past the step's delivery bound the runner
     * notes the deadline and keeps waiting a grace period, so that checkers can tell a late delivery, and by how
     * much, from a missing one.
     */
    private void settle(int index) throws InterruptedException {
      long boundNanos = TimeUnit.MILLISECONDS.toNanos((pendingLivenessWait ? leaveDetectionMillis : 0)
          + throttleWindowMillis + 25 + roundTripMillis + timing.slackMillis());
      boolean waitWholeBound = pendingUnobservableLeave;
      pendingLivenessWait = false;
      pendingUnobservableLeave = false;
      long deadline = history.now() + boundNanos;
      long graceEnd = deadline + Math.max(TimeUnit.MILLISECONDS.toNanos(MIN_GRACE_MILLIS), boundNanos);
      long pingEvery = TimeUnit.MILLISECONDS.toNanos(Math.max(MIN_NOISE_PING_MILLIS, throttleWindowMillis));
      long nextPing = history.now();
      boolean deadlineNoted = false;
      while (true) {
        long now = history.now();
        boolean waiting = waitWholeBound && now < deadline;
        if (!waiting && expectationHolds()) {
          return;
        }
        if (!waiting && !deadlineNoted && now >= deadline) {
          history.append(new Observation.DeadlinePassed(now, index, boundNanos));
          deadlineNoted = true;
        }
        if (now >= graceEnd) {
          return;
        }
        if (now >= nextPing) {
          sendNoisePing();
          nextPing = now + pingEvery;
        }
        long nextWake = Math.min(nextPing, deadline > now ? deadline : graceEnd);
        long poll = Math.max(1, Math.min(TimeUnit.MILLISECONDS.toNanos(Math.max(1, throttleWindowMillis / 5)),
            nextWake - now));
        int seen = history.size();
        history.await(seen, o -> true, Duration.ofNanos(poll));
      }
    }

    /** Pings that measure the round trip while the kit waits, so that a late delivery can be weighed against it. */
    private void sendNoisePing() {
      sessions.entrySet().stream().filter(e -> model.live(e.getKey())).findFirst().ifPresent(e -> e.getValue()
          .send(frame().setPing(Ping.newBuilder().setNonce(NOISE_PING_NONCE_BASE + noisePings++)).build()));
    }

    private boolean expectationHolds() {
      Map<String, SessionView> views = SessionViews.of(history.snapshot());
      for (String session : sessions.keySet()) {
        if (!model.live(session)) {
          continue;
        }
        SessionView view = views.get(session);
        Map<String, Map<String, com.google.protobuf.Struct>> actual = view == null ? Map.of()
            : SessionViews.byScenarioUser(view.statesBySubscription(), this::scenarioUser);
        if (!actual.equals(model.expectedViews(session))) {
          return false;
        }
        java.util.Set<String> members = new java.util.HashSet<>();
        if (view != null) {
          view.members().forEach(m -> members.add(scenarioUser(m)));
        }
        if (!members.equals(model.present(model.roomOf(session)))) {
          return false;
        }
      }
      return true;
    }

    private String wireUser(String user) {
      return wireUserIds.computeIfAbsent(user, u -> credentials.decorateOpen(u, Open.newBuilder()).getDevUserId());
    }

    private String scenarioUser(String wire) {
      return wireUserIds.entrySet().stream().filter(e -> e.getValue().equals(wire))
          .map(Map.Entry::getKey).findFirst().orElse(wire);
    }

    private ConnectRequest.Builder frame() {
      return ConnectRequest.newBuilder();
    }

    private void pause(int millis) throws InterruptedException {
      // Deliberate send timing that the scenario prescribes, not a wait for an outcome.
      long start = System.nanoTime();
      TimeUnit.MILLISECONDS.sleep(millis);
      long end = System.nanoTime();
      noise.recordLateness(end, end - start - TimeUnit.MILLISECONDS.toNanos(millis));
    }

    void closeAll() {
      sessions.values().forEach(RawSession::cancel);
      proxies.values().forEach(FaultyPath::close);
    }
  }
}
