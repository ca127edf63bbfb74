package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.everyone;
import static dev.presence.conformance.directed.Expect.limit;
import static dev.presence.conformance.directed.Expect.stillAlive;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.Http2PingProxy;
import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Leave;
import dev.presence.protocol.v1.Ping;
import dev.presence.conformance.driver.Endpoint;
import dev.presence.conformance.history.Binding;
import java.net.InetSocketAddress;
import io.grpc.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Pings and keepalive, Draft 2: PRS-LIV-6, PRS-LIV-7, PRS-LIV-8. */
final class LivenessCases {

  private static final long KEEPALIVE_MILLIS = 1000;
  private static final Duration KEEPALIVE_WITH_CALL = Duration.ofMillis(3500);
  private static final Duration KEEPALIVE_WITHOUT_CALL = Duration.ofMillis(2500);
  private static final long MAX_OBSERVATION_MILLIS = 10_000;

  private LivenessCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-LIV-6",
            "A server that pings a session MUST send at most one ping per Limits.ping_interval_millis and MUST "
                + "NOT end the session with PING_TIMEOUT before leave_detection_millis − ping_interval_millis have "
                + "passed since it sent a ping that is still unanswered.")
            .by(LivenessCases::serverPingsAreSpacedAndPatient),
        DirectedCase.checks("PRS-LIV-7",
            "Answering a client's ping \"promptly\" (PRS-LIV-3) means: the server MUST send the pong before "
                + "any frame caused by a later frame of that session")
            .by(LivenessCases::pongPrecedesLaterAnswers),
        DirectedCase.checks("PRS-LIV-8",
            "A server MUST tolerate HTTP/2 PING frames from a client sent at intervals of 1000 ms or more, "
                + "with or without active calls, and MUST NOT end a connection or a call because of them.")
            .by(LivenessCases::keepaliveEverySecondIsTolerated));
  }

  private static ConnectRequest ping(long nonce) {
    return ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build();
  }

  private static void pongPrecedesLaterAnswers(Probe p) throws InterruptedException {
    RawSession s = p.join("u1").session();
    int from = p.mark();
    s.send(ping(1));
    s.send(AnswerCases.follow(2, "someone"));
    s.send(ping(3));
    s.send(AnswerCases.subscribe(4, "s", everyone()));
    s.send(ping(5));
    s.send(AnswerCases.unfollow(6, "someone"));
    p.await(s, from, r -> r.hasAck() && r.getAck().getRequestId() == 6, "the last answer");
    p.await(s, from, r -> r.hasPong() && r.getPong().getNonce() == 5, "the last pong");
    List<String> order = new ArrayList<>();
    for (ConnectResponse r : p.receivedSince(s, from)) {
      if (r.hasPong()) {
        order.add("pong " + r.getPong().getNonce());
      } else if (Expect.answersRequest(r, 2) || Expect.answersRequest(r, 4) || Expect.answersRequest(r, 6)) {
        order.add("answer " + (r.hasAck() ? r.getAck().getRequestId() : r.getSnapshotComplete().getRequestId()));
      }
    }
    for (long nonce : new long[] {1, 3, 5}) {
      int pong = order.indexOf("pong " + nonce);
      for (long later = nonce + 1; later <= 6; later += 2) {
        if (order.indexOf("answer " + later) < pong) {
          throw new CaseFailure("the pong to ping " + nonce + " came after the answer to a later frame: " + order);
        }
      }
    }
  }

  private static void serverPingsAreSpacedAndPatient(Probe p) throws InterruptedException {
    Joined j = p.join("u1", o -> o.addCapabilities(Capability.CAPABILITY_PING));
    long interval = limit(j.opened().getLimits().getPingIntervalMillis());
    long leaveDetection = limit(j.opened().getLimits().getLeaveDetectionMillis());
    if (interval == 0) {
      throw new NotApplicable("the server advertises no ping_interval_millis, so it does not ping");
    }
    int from = p.mark();
    Duration observe = Duration.ofMillis(Math.min(MAX_OBSERVATION_MILLIS, leaveDetection + p.timing().slackMillis()));
    p.history().await(from, o -> o instanceof Observation.Ended e && e.session().equals(j.session().name()),
        observe);
    long tolerance = p.timing().spacingToleranceMillis();
    List<Long> pings = new ArrayList<>();
    Observation.Ended ended = null;
    for (Observation o : p.since(from)) {
      if (o instanceof Observation.Received r && r.session().equals(j.session().name()) && r.frame().hasPing()) {
        pings.add(o.nanos());
      } else if (o instanceof Observation.Ended e && e.session().equals(j.session().name())) {
        ended = e;
      }
    }
    for (int i = 1; i < pings.size(); i++) {
      long gap = TimeUnit.NANOSECONDS.toMillis(pings.get(i) - pings.get(i - 1));
      if (gap < interval - tolerance) {
        long shortBy = TimeUnit.MILLISECONDS.toNanos(interval - tolerance) - (pings.get(i) - pings.get(i - 1));
        throw new CaseFailure("two server pings " + gap + " ms apart; ping_interval_millis is " + interval,
            new TimingMiss(shortBy, pings.get(i - 1) - TimeUnit.MILLISECONDS.toNanos(interval), pings.get(i)));
      }
    }
    if (ended != null && ended.errorInfoReason().equals("PING_TIMEOUT") && !pings.isEmpty()) {
      long waited = TimeUnit.NANOSECONDS.toMillis(ended.nanos() - pings.get(0));
      if (waited < leaveDetection - interval - tolerance) {
        throw new CaseFailure("PING_TIMEOUT " + waited + " ms after the unanswered ping; the rule allows it only "
            + "after leave_detection_millis - ping_interval_millis = " + (leaveDetection - interval) + " ms",
            new TimingMiss(TimeUnit.MILLISECONDS.toNanos(leaveDetection - interval - tolerance)
                - (ended.nanos() - pings.get(0)), pings.get(0), ended.nanos()));
      }
    }
  }

  private static void keepaliveEverySecondIsTolerated(Probe p) throws InterruptedException {
    Endpoint grpc = p.endpoints().first(Binding.GRPC).orElseThrow(() -> new NotApplicable("HTTP/2 PING frames "
        + "exist only on the gRPC binding, and this run has no gRPC endpoint; PRS-WS-14 checks the WebSocket "
        + "counterpart"));
    InetSocketAddress server = grpc.address().orElseThrow(() -> new NotApplicable(
        "needs the server's address to put a keepalive proxy in front of it"));
    Http2PingProxy proxy;
    try {
      proxy = Http2PingProxy.start(server.getHostString(), server.getPort(), KEEPALIVE_MILLIS);
    } catch (IOException e) {
      throw new CaseFailure("could not start the keepalive proxy: " + e.getMessage());
    }
    p.closeLater(proxy);
    Endpoint.Relayed relayed = grpc.via(proxy.port());
    p.closeLater(relayed);
    Endpoint channel = relayed.endpoint();
    Joined j = p.joinOn(channel, "u1");
    if (proxy.sawNonHttp2()) {
      throw new NotApplicable("the connection is not cleartext HTTP/2 (TLS?), so the kit cannot add pings");
    }
    p.idle(KEEPALIVE_WITH_CALL);
    stillAlive(p, j.session());
    int from = p.mark();
    j.session().send(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
    if (p.awaitEnd(j.session(), from).code() != Status.Code.OK) {
      throw new CaseFailure("a session pinged every second did not end OK after leave");
    }
    p.idle(KEEPALIVE_WITHOUT_CALL);
    Joined again = p.joinOn(channel, "u1");
    stillAlive(p, again.session());
    if (!proxy.goAwayCodes().isEmpty() || proxy.connections() != 1) {
      throw new CaseFailure("with an HTTP/2 PING every " + KEEPALIVE_MILLIS + " ms the server sent GOAWAY "
          + proxy.goAwayCodes() + " (11 is ENHANCE_YOUR_CALM) over " + proxy.connections() + " connection(s)");
    }
    if (proxy.acksReceived() < proxy.pingsSent() - 1 || proxy.pingsSent() < 4) {
      throw new CaseFailure("the server acknowledged " + proxy.acksReceived() + " of " + proxy.pingsSent()
          + " HTTP/2 pings");
    }
  }
}
