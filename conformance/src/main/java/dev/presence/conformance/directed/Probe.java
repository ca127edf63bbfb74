package dev.presence.conformance.directed;

import dev.presence.conformance.driver.Credentials;
import dev.presence.conformance.driver.Endpoint;
import dev.presence.conformance.driver.Endpoints;
import dev.presence.conformance.driver.FaultyPath;
import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.driver.TcpFaultProxy;
import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.driver.WebSocketEndpoint;
import dev.presence.conformance.history.Binding;
import dev.presence.conformance.history.History;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.conformance.history.Traces;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a directed case works with: sessions in a room of its own, one history, and waiting with deadlines. A
 * failed expectation throws {@link CaseFailure}, which the suite turns into the case's violation.
 */
public final class Probe implements AutoCloseable {

  private static final int ROUND_TRIP_SAMPLES = 5;

  private final Endpoints endpoints;
  private final int firstSession;
  private final Credentials credentials;
  private final Timing timing;
  private final String room;
  private final History history = History.systemClock();
  private final List<RawSession> sessions = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private int sessionCount;
  private Limits limits = Limits.getDefaultInstance();

  /**
   * Creates a probe.
   *
   * @param endpoints where the server under test serves sessions; the probe's sessions take them in turn
   * @param firstSession the turn of the probe's first session, so that cases whose sessions are few still spread
   *     over every endpoint
   * @param credentials how to authenticate scenario users
   * @param timing the allowances
   * @param room a room id used by no other case
   */
  public Probe(Endpoints endpoints, int firstSession, Credentials credentials, Timing timing, String room) {
    this.endpoints = endpoints;
    this.firstSession = firstSession;
    this.credentials = credentials;
    this.timing = timing;
    this.room = room;
  }

  /** Returns the time allowances. */
  public Timing timing() {
    return timing;
  }

  /** Returns the probe's history, for waits no other method expresses. */
  public History history() {
    return history;
  }

  /** Returns the case's room id. */
  public String room() {
    return room;
  }

  /** Returns the limits the server advertised in the last opened frame. */
  public Limits limits() {
    return limits;
  }

  /** Returns the credentials in force. */
  public Credentials credentials() {
    return credentials;
  }

  /** Returns every endpoint of the run. */
  public Endpoints endpoints() {
    return endpoints;
  }

  /** Returns the endpoint the probe's next session takes. */
  private Endpoint nextEndpoint() {
    return endpoints.forSession(firstSession + sessionCount);
  }

  private String nextName(String label) {
    return "p" + (++sessionCount) + ":" + label;
  }

  private RawSession track(RawSession s) {
    sessions.add(s);
    return s;
  }

  /** Starts a call for a scenario user without sending anything. */
  public RawSession start(String user) {
    return startOn(nextEndpoint(), user);
  }

  /** Starts a call for a scenario user on a given endpoint, without sending anything. */
  public RawSession startOn(Endpoint endpoint, String user) {
    return track(RawSession.start(endpoint, nextName(user), credentials.headersFor(user), history));
  }

  /** Starts a call with explicit metadata, for credentials the case forges. */
  public RawSession startWith(io.grpc.Metadata headers) {
    Endpoint endpoint = nextEndpoint();
    return track(RawSession.start(endpoint, nextName("forged"), headers, history));
  }

  /**
   * Starts a call for another protocol version on an endpoint, without sending anything (PRS-EVO-7): on gRPC the
   * path {@code /presence.vN.PresenceService/Connect}, on WebSocket {@code /presence.vN}.
   *
   * @param endpoint where the server serves presence.v1
   * @param protocolVersion the version whose path the call asks for
   * @param user the scenario user whose credentials the call carries
   */
  public RawSession startVersion(Endpoint endpoint, int protocolVersion, String user) {
    return track(RawSession.start(endpoint, protocolVersion, nextName(user + "@v" + protocolVersion),
        credentials.headersFor(user), history));
  }

  /**
   * Starts a WebSocket session that offers exactly these {@code Sec-WebSocket-Protocol} entries, without sending
   * anything (PRS-WS-3, PRS-WS-7).
   *
   * @throws NotApplicable if the run has no WebSocket endpoint
   */
  public RawSession startOffering(java.util.List<String> subprotocols, String label) {
    return track(RawSession.start(webSocket(), subprotocols, nextName(label), history));
  }

  /**
   * Returns the run's first WebSocket endpoint.
   *
   * @throws NotApplicable if it has none
   */
  public WebSocketEndpoint webSocket() {
    return (WebSocketEndpoint) endpoints.first(Binding.WEBSOCKET).orElseThrow(() -> new NotApplicable(
        "needs a ws:// or wss:// endpoint, and this run has none"));
  }

  /**
   * Returns the run's first endpoint of a binding.
   *
   * @throws NotApplicable if it has none
   */
  public Endpoint endpoint(Binding binding) {
    return endpoints.first(binding).orElseThrow(() -> new NotApplicable("needs a " + binding.label()
        + " endpoint, and this run has none"));
  }

  /** Returns an open frame for a scenario user in this probe's room. */
  public Open.Builder openFrame(String user) {
    return credentials.decorateOpen(user, Open.newBuilder().setRoomId(room).setProtocolVersion(1)
        .setClientAgent("presence-conformance"));
  }

  /**
   * Opens a session whose connection runs through a new {@link TcpFaultProxy}, which the case can then break.
   *
   * @throws NotApplicable if the kit does not know the server's address
   */
  public Faulty joinThroughProxy(String user) throws InterruptedException {
    return joinThroughProxy(nextEndpoint(), user);
  }

  /**
   * Opens a session on a given endpoint whose connection runs through a new {@link TcpFaultProxy}.
   *
   * @throws NotApplicable if the kit does not know the endpoint's address
   */
  public Faulty joinThroughProxy(Endpoint endpoint, String user) throws InterruptedException {
    if (endpoint.address().isEmpty()) {
      throw new NotApplicable("needs the server's address to put a fault proxy in front of it");
    }
    try {
      FaultyPath path = FaultyPath.to(endpoint);
      resources.add(path);
      RawSession s = track(RawSession.start(path.endpoint(), nextName(user + "(proxied)"),
          credentials.headersFor(user), history));
      return new Faulty(open(s, user), path.proxy());
    } catch (java.io.IOException e) {
      throw new CaseFailure("could not start the fault proxy: " + e.getMessage());
    }
  }

  /** Registers something to close with the probe. */
  public void closeLater(AutoCloseable resource) {
    resources.add(resource);
  }

  /** Opens a session for a scenario user on a given endpoint; fails the case if it is refused. */
  public Joined joinOn(Endpoint endpoint, String user) throws InterruptedException {
    return open(startOn(endpoint, user), user);
  }

  /** Waits a fixed time, for rules that are about time passing (keepalive, liveness). */
  public void idle(java.time.Duration duration) throws InterruptedException {
    history.await(history.size(), x -> false, duration);
  }

  /** Opens a session for a scenario user and returns its opened frame; fails the case if it is refused. */
  public Joined join(String user) throws InterruptedException {
    return open(start(user), user);
  }

  /** Opens a session for a scenario user with an open frame the case adjusted; fails the case if refused. */
  public Joined join(String user, java.util.function.UnaryOperator<Open.Builder> adjust)
      throws InterruptedException {
    return open(start(user), adjust.apply(openFrame(user)));
  }

  private Joined open(RawSession s, String user) throws InterruptedException {
    return open(s, openFrame(user));
  }

  private Joined open(RawSession s, Open.Builder frame) throws InterruptedException {
    int from = history.size();
    s.send(ConnectRequest.newBuilder().setOpen(frame).build());
    Opened opened = await(s, from, ConnectResponse::hasOpened, "opened").getOpened();
    limits = opened.getLimits();
    return new Joined(s, opened);
  }

  /** Subscribes a session to '*' and waits for snapshot_complete. */
  public void subscribeAll(RawSession s, String subscriptionId) throws InterruptedException {
    int from = history.size();
    s.send(ConnectRequest.newBuilder().setRequestId(9000 + sessionCount).setSubscribe(Subscribe.newBuilder()
        .setSubscriptionId(subscriptionId)
        .setTarget(SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()))).build());
    await(s, from, r -> r.hasSnapshotComplete()
        && r.getSnapshotComplete().getSubscriptionId().equals(subscriptionId), "snapshot_complete");
  }

  /** Returns the current history position, for {@link #await}. */
  public int mark() {
    return history.size();
  }

  /**
   * Waits for a frame on a session after a position.
   *
   * @throws CaseFailure if none arrives within the request timeout, or the call ends first
   */
  public ConnectResponse await(RawSession s, int from, Predicate<ConnectResponse> match, String what)
      throws InterruptedException {
    return await(s, from, match, what, timing.requestTimeout());
  }

  /**
   * Waits for a frame on a session after a position, with an explicit deadline.
   *
   * @throws CaseFailure if none arrives in time, or the call ends first
   */
  public ConnectResponse await(RawSession s, int from, Predicate<ConnectResponse> match, String what,
      java.time.Duration timeout) throws InterruptedException {
    Predicate<Observation> wanted = x -> x instanceof Observation.Received r && r.session().equals(s.name())
        && match.test(r.frame());
    Observation o = awaitWithGrace(from, wanted.or(x -> x instanceof Observation.Ended e
        && e.session().equals(s.name())), wanted, timeout, "expected " + what);
    if (o instanceof Observation.Ended e) {
      throw new CaseFailure("expected " + what + " but the call ended with " + e.code() + " "
          + e.errorInfoReason() + " (" + e.description() + ")");
    }
    return ((Observation.Received) o).frame();
  }

  /**
   * Waits for the call to end.
   *
   * @throws CaseFailure if it is still open after the request timeout
   */
  public Observation.Ended awaitEnd(RawSession s, int from) throws InterruptedException {
    return awaitEnd(s, from, timing.requestTimeout());
  }

  /**
   * Waits for the call to end, with an explicit deadline.
   *
   * @throws CaseFailure if it is still open then
   */
  public Observation.Ended awaitEnd(RawSession s, int from, java.time.Duration timeout) throws InterruptedException {
    Predicate<Observation> ended = x -> x instanceof Observation.Ended e && e.session().equals(s.name());
    return (Observation.Ended) awaitWithGrace(from, ended, ended, timeout, "expected the call to end");
  }

  /**
   * Waits for an observation up to a deadline, then a grace period more, so that a miss says by how much it was
   * late; the suite weighs that against the kit's own noise before it counts.
   *
   * @throws CaseFailure carrying the {@link TimingMiss} when nothing {@code wanted} came by the deadline
   */
  private Observation awaitWithGrace(int from, Predicate<Observation> match, Predicate<Observation> wanted,
      java.time.Duration timeout, String expectation) throws InterruptedException {
    long start = history.now();
    Optional<Observation> o = history.await(from, match, timeout);
    if (o.isPresent()) {
      return o.get();
    }
    long deadline = history.now();
    java.time.Duration grace = graceAfter(timeout);
    Optional<Observation> late = history.await(from, match, grace);
    if (late.isPresent() && !wanted.test(late.get())) {
      return late.get();
    }
    if (late.isPresent()) {
      long at = late.get().nanos();
      throw new CaseFailure(String.format("%s within %d ms; it came %.1f ms late", expectation, timeout.toMillis(),
          Math.max(0, at - deadline) / 1e6), new TimingMiss(Math.max(0, at - deadline), start, at));
    }
    long end = history.now();
    throw new CaseFailure(String.format("%s within %d ms; none came, nor in %d ms more", expectation,
        timeout.toMillis(), grace.toMillis()), new TimingMiss(end - deadline, start, end));
  }

  /** As long as the bound itself, at least one second and at most five. */
  private static java.time.Duration graceAfter(java.time.Duration timeout) {
    return java.time.Duration.ofMillis(Math.min(5000, Math.max(1000, timeout.toMillis())));
  }

  /** Returns everything recorded after a position, so far, with the kit's timestamps. */
  public List<Observation> since(int from) {
    List<Observation> all = history.snapshot();
    return List.copyOf(all.subList(Math.min(from, all.size()), all.size()));
  }

  /**
   * Measures a session's round trip as the median of a few ping/pong exchanges, as the scenario runner does, so a
   * deadline can tell the kit's and the network's delay from the server's.
   */
  public long roundTripMillis(RawSession s) throws InterruptedException {
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < ROUND_TRIP_SAMPLES; i++) {
      long nonce = 0x52545400L + i;
      int from = mark();
      long start = history.now();
      s.send(ConnectRequest.newBuilder().setPing(dev.presence.protocol.v1.Ping.newBuilder().setNonce(nonce))
          .build());
      await(s, from, r -> r.hasPong() && r.getPong().getNonce() == nonce, "a pong to measure the round trip");
      long arrived = since(from).stream().filter(o -> o instanceof Observation.Received r
          && r.session().equals(s.name()) && r.frame().hasPong()).findFirst().orElseThrow().nanos();
      samples.add(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(arrived - start));
    }
    java.util.Collections.sort(samples);
    return samples.get(samples.size() / 2);
  }

  /** Returns the frames a session received after a position, so far. */
  public List<ConnectResponse> receivedSince(RawSession s, int from) {
    List<ConnectResponse> frames = new ArrayList<>();
    List<Observation> all = history.snapshot();
    for (int i = from; i < all.size(); i++) {
      if (all.get(i) instanceof Observation.Received r && r.session().equals(s.name())) {
        frames.add(r.frame());
      }
    }
    return frames;
  }

  /** Waits the delivery bound of the advertised window, for expectations that something does not arrive. */
  public void quietPeriod() throws InterruptedException {
    int seen = history.size();
    history.await(seen, x -> false, java.time.Duration.ofMillis(
        limits.getThrottleWindowMillis() + 25 + timing.slackMillis()));
  }

  /** Returns the wire trace so far, one line per frame. */
  public String trace() {
    return Traces.of(history.snapshot());
  }

  @Override
  public void close() {
    sessions.forEach(RawSession::cancel);
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception ignored) {
        // Closing a proxy or channel of a finished case is best effort.
      }
    }
  }

  /**
   * A session behind its own fault proxy.
   *
   * @param joined the opened session
   * @param proxy the proxy its connection runs through
   */
  public record Faulty(Joined joined, TcpFaultProxy proxy) {}


  /**
   * An opened session.
   *
   * @param session the session
   * @param opened its opened frame
   */
  public record Joined(RawSession session, Opened opened) {}
}
