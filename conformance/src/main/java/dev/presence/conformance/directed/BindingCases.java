package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.awaitEvent;
import static dev.presence.conformance.directed.Expect.expectEnd;
import static dev.presence.conformance.directed.Expect.limit;
import static dev.presence.conformance.directed.Expect.marked;
import static dev.presence.conformance.directed.Expect.open;
import static dev.presence.conformance.directed.Expect.send;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.BearerSubprotocol;
import dev.presence.conformance.driver.Endpoint;
import dev.presence.conformance.driver.ForgedCredentials;
import dev.presence.conformance.driver.HandshakeRequest;
import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.Binding;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Leave;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Credentials on the WebSocket binding, judged at open (PRS-WS-7), which need a server that verifies tokens, and
 * the two bindings serving one room alike (PRS-WS-18), which needs an endpoint of each.
 */
final class BindingCases {

  private static final String PROTOCOL = "presence.v1";

  private BindingCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-WS-7",
            "A server MUST take credentials on this binding only from that entry, exactly as if they had arrived as "
                + "authorization: Bearer <token> on the gRPC binding")
            .by(BindingCases::credentialsOnlyFromTheEntry),
        DirectedCase.checks("PRS-WS-7",
            "MUST judge them when open arrives",
            "bad credentials end the call with UNAUTHENTICATED after the upgrade",
            "more than one such entry, count as malformed credentials")
            .by(BindingCases::badEntriesEndAtOpen),
        DirectedCase.checks("PRS-WS-18",
            "A server that serves both bindings MUST treat their sessions alike: one room, one presence per user "
                + "across sessions of either binding, one fan-out and the same limits, so that a user with a tab on "
                + "each binding is one user (PRS-SES-2, PRS-SES-4).")
            .by(BindingCases::bindingsShareRooms));
  }

  private static String tokenOf(Probe p, String user, String unchecked) {
    if (!p.credentials().verifiedByServer()) {
      throw NotApplicable.unchecked(unchecked, CredentialCases.DEVELOPMENT_MODE);
    }
    return ForgedCredentials.bearerToken(p.credentials(), user).orElseThrow(() -> NotApplicable.unchecked(unchecked,
        "the credentials present no bearer token"));
  }

  /**
   * u1's token as the entry opens a session as the same user a gRPC call with it gets (when the run has a gRPC
   * endpoint); the same token in an Authorization header of the handshake, with no entry, opens nothing.
   */
  private static void credentialsOnlyFromTheEntry(Probe p) throws InterruptedException {
    String token = tokenOf(p, "u1", "that the entry is the only carrier of credentials on WebSocket");
    Joined viaEntry = p.joinOn(p.webSocket(), "u1");
    if (p.endpoints().first(Binding.GRPC).isPresent()) {
      Joined viaHeader = p.joinOn(p.endpoint(Binding.GRPC), "u1");
      if (!viaHeader.opened().getSelf().equals(viaEntry.opened().getSelf())) {
        throw new CaseFailure("u1's token made '" + viaEntry.opened().getSelf().getUserId() + "' on WebSocket and '"
            + viaHeader.opened().getSelf().getUserId() + "' on gRPC");
      }
    }
    WsWire headerOnly = WsWire.upgrade(p, HandshakeRequest.valid(WsWire.path(p), List.of(PROTOCOL))
        .with("Authorization", "Bearer " + token), "u1-in-a-header", 0);
    headerOnly.send(open(p.openFrame("u1")));
    WsWire.Ending ending = headerOnly.awaitEnding(p.timing().requestTimeout());
    WebSocketFrameCases.expectEnd("a handshake with u1's token in an Authorization header and no bearer entry",
        ending, Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED");
  }

  private static void badEntriesEndAtOpen(Probe p) throws InterruptedException {
    String u1 = tokenOf(p, "u1", "that bad bearer entries end the call UNAUTHENTICATED at open");
    String u2 = tokenOf(p, "u2", "that two bearer entries end the call UNAUTHENTICATED at open");
    Map<String, List<String>> offers = Map.of(
        "a token the server did not sign", List.of(PROTOCOL, BearerSubprotocol.entry(1, "not-a-valid-token")),
        "an entry that is not base64url", List.of(PROTOCOL, PROTOCOL + ".bearer.!not*base64url"),
        "two bearer entries, u1's and u2's", List.of(PROTOCOL, BearerSubprotocol.entry(1, u1),
            BearerSubprotocol.entry(1, u2)));
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> offer : offers.entrySet()) {
      RawSession s = p.startOffering(offer.getValue(), "bad-entry");
      try {
        expectEnd(offer.getKey(), Expect.endOfOpen(p, s, open(p.openFrame("u1"))), Status.Code.UNAUTHENTICATED,
            "UNAUTHENTICATED");
      } catch (CaseFailure f) {
        problems.add(f.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new CaseFailure(String.join("; ", problems));
    }
  }

  /**
   * One user with a tab on each binding, watched from each: the same user id and limits, every state seen by both
   * watchers, no null while a tab is left, and one session limit across both bindings.
   */
  private static void bindingsShareRooms(Probe p) throws InterruptedException {
    Endpoint grpc = p.endpoints().first(Binding.GRPC).orElseThrow(() -> new NotApplicable(
        "needs a gRPC and a WebSocket endpoint of the same server; this run has no gRPC endpoint"));
    Endpoint ws = p.endpoints().first(Binding.WEBSOCKET).orElseThrow(() -> new NotApplicable(
        "needs a gRPC and a WebSocket endpoint of the same server; this run has no WebSocket endpoint"));
    Joined grpcWatcher = p.joinOn(grpc, "u2");
    Joined wsWatcher = p.joinOn(ws, "u3");
    p.subscribeAll(grpcWatcher.session(), "g");
    p.subscribeAll(wsWatcher.session(), "w");
    Joined grpcTab = p.joinOn(grpc, "u1");
    Joined wsTab = p.joinOn(ws, "u1");
    String user = grpcTab.opened().getSelf().getUserId();
    if (!wsTab.opened().getSelf().getUserId().equals(user)) {
      throw new CaseFailure("u1 is '" + user + "' on gRPC and '" + wsTab.opened().getSelf().getUserId()
          + "' on WebSocket");
    }
    if (!grpcTab.opened().getLimits().equals(wsTab.opened().getLimits())) {
      throw new CaseFailure("the bindings advertise different limits: gRPC " + grpcTab.opened().getLimits()
          + ", WebSocket " + wsTab.opened().getLimits());
    }
    for (Joined tab : List.of(wsTab, grpcTab)) {
      int from = p.mark();
      String mark = "from " + tab.session().name();
      send(tab.session(), marked(mark));
      for (Joined watcher : List.of(grpcWatcher, wsWatcher)) {
        if (!awaitEvent(p, watcher.session(), from, user, "u1's state " + mark).getState().equals(marked(mark))) {
          throw new CaseFailure(watcher.session().name() + " did not see u1's latest state " + mark);
        }
      }
    }
    int from = p.mark();
    grpcTab.session().send(ConnectRequest.newBuilder().setLeave(Leave.getDefaultInstance()).build());
    p.awaitEnd(grpcTab.session(), from);
    p.quietPeriod();
    for (Joined watcher : List.of(grpcWatcher, wsWatcher)) {
      if (p.receivedSince(watcher.session(), from).stream().anyMatch(r -> r.getPresence().getEventsList().stream()
          .anyMatch(e -> e.getUserId().equals(user) && !e.hasState()))) {
        throw new CaseFailure(watcher.session().name() + " heard a null about u1 when its gRPC tab left while its "
            + "WebSocket tab stayed");
      }
    }
    oneSessionLimit(p, grpc, ws);
  }

  /** max_sessions_per_user counts sessions of both bindings together. */
  private static void oneSessionLimit(Probe p, Endpoint grpc, Endpoint ws) throws InterruptedException {
    long max = limit(p.limits().getMaxSessionsPerUser());
    if (max == 0 || max > 64) {
      return;
    }
    for (int i = 0; i < max; i++) {
      p.joinOn(i % 2 == 0 ? grpc : ws, "u4");
    }
    for (Endpoint e : List.of(grpc, ws)) {
      expectEnd("one session over max_sessions_per_user " + max + " (the others split between the bindings), on "
          + e.binding().label(), Expect.endOfOpen(p, p.startOn(e, "u4"), open(p.openFrame("u4"))),
          Status.Code.RESOURCE_EXHAUSTED, "TOO_MANY_SESSIONS");
    }
  }
}
