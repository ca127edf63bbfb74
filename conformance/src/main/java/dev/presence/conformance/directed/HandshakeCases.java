package dev.presence.conformance.directed;

import dev.presence.conformance.driver.BearerSubprotocol;
import dev.presence.conformance.driver.ForgedCredentials;
import dev.presence.conformance.driver.HandshakeRequest;
import dev.presence.conformance.driver.RawWebSocket;
import dev.presence.conformance.driver.RawWebSocket.Handshake;
import dev.presence.conformance.noise.TimingMiss;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket opening handshake, Draft 3: answers without an upgrade (PRS-WS-2), subprotocol selection
 * (PRS-WS-3), the bearer entry (PRS-WS-7), Origin (PRS-WS-8), extensions (PRS-WS-9) and the handshake deadline
 * (PRS-WS-17). Each sends handshakes of its own making with the kit's {@link RawWebSocket}, so they need a
 * {@code ws://} or {@code wss://} endpoint and are NOT-APPLICABLE without one.
 */
final class HandshakeCases {

  private static final String PROTOCOL = "presence.v1";
  private static final String FOREIGN_ORIGIN = "https://presence-conformance.invalid";
  private static final String UNSERVED_PATH = "/presence-conformance-unserved";
  private static final Duration HANDSHAKE_DEADLINE = Duration.ofSeconds(10);
  private static final Duration TRICKLE_EVERY = Duration.ofMillis(500);
  private static final String WS_2_BODY = "Every such answer MUST carry a body of plain text that says what was "
      + "wrong.";

  private HandshakeCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-WS-2",
            "A request for the path that is not a valid WebSocket opening handshake MUST get an HTTP error and no "
                + "upgrade: 426 Upgrade Required with the header Upgrade: websocket when it asks for no upgrade",
            WS_2_BODY)
            .by(HandshakeCases::plainGetGets426),
        DirectedCase.checks("PRS-WS-2", "400 Bad Request when the handshake is malformed (RFC 6455 §4.2.1)",
            WS_2_BODY)
            .by(HandshakeCases::malformedHandshakeGets400),
        DirectedCase.checks("PRS-WS-2",
            "a Sec-WebSocket-Version other than 13 is malformed, and its answer also carries the header "
                + "Sec-WebSocket-Version: 13")
            .by(HandshakeCases::wrongVersionNamesVersion13),
        DirectedCase.checks("PRS-WS-2",
            "When a handshake has several faults, the answer MUST be that of the first in this order: the path "
                + "(404), the upgrade (426), a malformed handshake (400), the subprotocol (400, PRS-WS-3), the "
                + "Origin (403, PRS-WS-8).")
            .by(HandshakeCases::faultsAnsweredInOrder),
        DirectedCase.checks("PRS-WS-2", "A handshake for a path the server does not serve MUST get 404 Not Found",
            WS_2_BODY)
            .by(HandshakeCases::unservedPathGets404),
        DirectedCase.checks("PRS-WS-3", "A server MUST select exactly presence.v1")
            .by(HandshakeCases::selectsExactlyTheProtocol),
        DirectedCase.checks("PRS-WS-3",
            "MUST refuse a handshake that does not offer it with 400 Bad Request and no upgrade.")
            .by(HandshakeCases::refusesWithoutTheProtocol),
        DirectedCase.checks("PRS-WS-7", "The server MUST NOT include the entry in its response")
            .by(HandshakeCases::bearerEntryNotEchoed),
        DirectedCase.checks("PRS-WS-7", "rather than fail the handshake")
            .by(HandshakeCases::badTokenStillUpgrades),
        DirectedCase.checks("PRS-WS-8",
            "A handshake whose Origin is present and not allowed MUST get 403 Forbidden and no upgrade.")
            .by(HandshakeCases::foreignOriginGets403),
        DirectedCase.checks("PRS-WS-8", "the server MUST judge it by its credentials alone.")
            .by(HandshakeCases::noOriginIsJudgedByCredentials),
        DirectedCase.checks("PRS-WS-9",
            "A server MUST NOT accept any WebSocket extension: its response carries no Sec-WebSocket-Extensions "
                + "header, whatever the client offers.")
            .by(HandshakeCases::noExtensionAccepted),
        DirectedCase.checks("PRS-WS-17",
            "A server MUST close a connection that has not completed its opening handshake within 10 seconds of "
                + "the connection's acceptance, TLS handshake included, so that partial handshakes cannot hold "
                + "connections open.")
            .by(HandshakeCases::partialHandshakesAreCut));
  }

  private static void plainGetGets426(Probe p) {
    Handshake answer = WsWire.handshake(p, HandshakeRequest.plainGet(WsWire.path(p))).handshake();
    expectRefusal("a GET without Upgrade", answer, 426);
    if (answer.values("Upgrade").stream().noneMatch(v -> v.equalsIgnoreCase("websocket"))) {
      throw new CaseFailure("426 to a GET without Upgrade should carry 'Upgrade: websocket'; it had "
          + answer.values("Upgrade"));
    }
  }

  private static void malformedHandshakeGets400(Probe p) {
    HandshakeRequest noKey = WsWire.validFor(p, "u1").without("Sec-WebSocket-Key");
    expectRefusal("a handshake without Sec-WebSocket-Key", WsWire.handshake(p, noKey).handshake(), 400);
  }

  private static void wrongVersionNamesVersion13(Probe p) {
    HandshakeRequest version8 = WsWire.validFor(p, "u1").with("Sec-WebSocket-Version", "8");
    Handshake answer = WsWire.handshake(p, version8).handshake();
    expectRefusal("a handshake with Sec-WebSocket-Version: 8", answer, 400);
    if (!answer.values("Sec-WebSocket-Version").contains("13")) {
      throw new CaseFailure("400 to Sec-WebSocket-Version: 8 should carry 'Sec-WebSocket-Version: 13'; it had "
          + answer.values("Sec-WebSocket-Version"));
    }
  }

  /** A request, what it is, and the answer its first fault in PRS-WS-2's order gets. */
  private record Faulty(String what, HandshakeRequest request, int status) {}

  /** Each request has the fault it should be answered for and later faults of the order as well. */
  private static void faultsAnsweredInOrder(Probe p) {
    String unserved = p.webSocket().uriAt(UNSERVED_PATH).getRawPath();
    List<Faulty> requests = List.of(
        new Faulty("a GET of an unserved path without Upgrade, from a foreign Origin",
            HandshakeRequest.plainGet(unserved).with("Origin", FOREIGN_ORIGIN), 404),
        new Faulty("a GET without Upgrade or subprotocol, from a foreign Origin",
            HandshakeRequest.plainGet(WsWire.path(p)).with("Origin", FOREIGN_ORIGIN), 426),
        new Faulty("a handshake without Sec-WebSocket-Key or subprotocol, from a foreign Origin",
            HandshakeRequest.valid(WsWire.path(p), List.of()).without("Sec-WebSocket-Key")
                .with("Origin", FOREIGN_ORIGIN), 400),
        new Faulty("a handshake offering only 'chat', from a foreign Origin",
            HandshakeRequest.valid(WsWire.path(p), List.of("chat")).with("Origin", FOREIGN_ORIGIN), 400));
    for (Faulty f : requests) {
      expectRefusal(f.what(), WsWire.handshake(p, f.request()).handshake(), f.status());
    }
  }

  private static void unservedPathGets404(Probe p) {
    String path = p.webSocket().uriAt(UNSERVED_PATH).getRawPath();
    HandshakeRequest request = HandshakeRequest.valid(path, List.of(PROTOCOL));
    expectRefusal("a handshake for " + path, WsWire.handshake(p, request).handshake(), 404);
  }

  /** The answer must be the status, with no upgrade and a text/plain body that is not empty. */
  private static void expectRefusal(String what, Handshake answer, int status) {
    if (answer.status() != status) {
      throw new CaseFailure(what + " should get " + status + " and no upgrade; it got " + answer.status());
    }
    String type = answer.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("text/plain") || answer.body().isBlank()) {
      throw new CaseFailure(what + " got " + status + " with Content-Type '" + type + "' and "
          + (answer.body().isBlank() ? "no body" : "a body") + "; the answer needs a text/plain body that says "
          + "what was wrong");
    }
  }

  private static void selectsExactlyTheProtocol(Probe p) {
    for (List<String> offer : List.of(List.of(PROTOCOL), List.of("chat", PROTOCOL),
        List.of(PROTOCOL, "presence.v2"))) {
      Handshake answer = WsWire.handshake(p, HandshakeRequest.valid(WsWire.path(p), offer)).handshake();
      if (answer.status() != 101 || !answer.values("Sec-WebSocket-Protocol").equals(List.of(PROTOCOL))) {
        throw new CaseFailure("a handshake offering " + offer + " should be upgraded with Sec-WebSocket-Protocol "
            + "exactly " + PROTOCOL + "; it got " + answer.status() + " with "
            + answer.values("Sec-WebSocket-Protocol"));
      }
    }
  }

  private static void refusesWithoutTheProtocol(Probe p) {
    Map<String, HandshakeRequest> offers = Map.of(
        "no Sec-WebSocket-Protocol", HandshakeRequest.valid(WsWire.path(p), List.of()),
        "only 'chat'", HandshakeRequest.valid(WsWire.path(p), List.of("chat")),
        "only a bearer entry", HandshakeRequest.valid(WsWire.path(p),
            List.of(BearerSubprotocol.entry(1, "conformance-token"))));
    offers.forEach((what, request) -> {
      int status = WsWire.handshake(p, request).handshake().status();
      if (status != 400) {
        throw new CaseFailure("a handshake offering " + what + " should get 400 and no upgrade; it got " + status);
      }
    });
  }

  /** A token the run has for u1, or a made-up one when it claims identities in the development mode. */
  private static String someToken(Probe p) {
    return ForgedCredentials.bearerToken(p.credentials(), "u1").orElse("conformance-made-up-token");
  }

  private static void bearerEntryNotEchoed(Probe p) {
    String token = someToken(p);
    String entry = BearerSubprotocol.entry(1, token);
    Handshake answer = WsWire.handshake(p, HandshakeRequest.valid(WsWire.path(p), List.of(PROTOCOL, entry)))
        .handshake();
    if (answer.status() != 101) {
      throw new CaseFailure("a handshake offering presence.v1 and a bearer entry should be upgraded; it got "
          + answer.status());
    }
    boolean echoed = answer.headers().values().stream().flatMap(List::stream)
        .anyMatch(v -> v.contains(entry.substring(PROTOCOL.length())) || v.contains(token));
    if (echoed || !answer.values("Sec-WebSocket-Protocol").equals(List.of(PROTOCOL))) {
      throw new CaseFailure("the response to a handshake with a bearer entry must select exactly presence.v1 and "
          + "carry the entry nowhere; it selected " + (echoed ? "(the entry, or the token, appears in a header)"
          : answer.values("Sec-WebSocket-Protocol")));
    }
  }

  private static void badTokenStillUpgrades(Probe p) {
    HandshakeRequest request = HandshakeRequest.valid(WsWire.path(p),
        List.of(PROTOCOL, BearerSubprotocol.entry(1, "not-a-valid-token")));
    int status = WsWire.handshake(p, request).handshake().status();
    if (status != 101) {
      throw new CaseFailure("a handshake with a bearer entry the server cannot verify must be upgraded, so that "
          + "the credentials are judged at open; it got " + status);
    }
  }

  private static void foreignOriginGets403(Probe p) {
    HandshakeRequest request = WsWire.validFor(p, "u1").with("Origin", FOREIGN_ORIGIN);
    int status = WsWire.handshake(p, request).handshake().status();
    if (status != 403) {
      throw new CaseFailure("a handshake from Origin " + FOREIGN_ORIGIN + ", which no deployment allows, should "
          + "get 403 and no upgrade; it got " + status);
    }
  }

  private static void noOriginIsJudgedByCredentials(Probe p) throws InterruptedException {
    WsWire.Joined j = WsWire.join(p, "u1", 0);
    if (j.opened().getSelf().getUserId().isEmpty()) {
      throw new CaseFailure("a session without Origin opened with no user");
    }
  }

  private static void noExtensionAccepted(Probe p) {
    HandshakeRequest request = WsWire.validFor(p, "u1").with("Sec-WebSocket-Extensions",
        "permessage-deflate; client_max_window_bits, permessage-deflate, x-webkit-deflate-frame");
    Handshake answer = WsWire.handshake(p, request).handshake();
    if (answer.status() != 101) {
      throw new CaseFailure("a valid handshake that offers extensions should still be upgraded; it got "
          + answer.status());
    }
    if (answer.header("Sec-WebSocket-Extensions").isPresent()) {
      throw new CaseFailure("the server accepted extensions: Sec-WebSocket-Extensions: "
          + answer.header("Sec-WebSocket-Extensions").get());
    }
  }

  /**
   * Two connections that never finish a handshake: one sends half of it and falls silent, one sends a byte every
   * half second. The server must close both within 10 seconds of their connecting, plus the kit's slack.
   */
  private static void partialHandshakesAreCut(Probe p) throws InterruptedException {
    long bound = HANDSHAKE_DEADLINE.toMillis() + p.timing().slackMillis();
    Duration watch = Duration.ofMillis(bound + Math.min(5000, bound));
    byte[] request = ("GET " + WsWire.path(p) + " HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " + PROTOCOL + "\r\n").getBytes(
        StandardCharsets.US_ASCII);
    long start = System.nanoTime();
    RawWebSocket silent = WsWire.connect(p);
    RawWebSocket trickle = WsWire.connect(p);
    CompletableFuture<Optional<Long>> silentClosed = closedWithin(silent, watch);
    CompletableFuture<Optional<Long>> trickleClosed = closedWithin(trickle, watch);
    try {
      silent.writeRaw(java.util.Arrays.copyOf(request, request.length / 2));
      for (int i = 0; i < request.length && !trickleClosed.isDone()
          && System.nanoTime() - start < watch.toNanos(); i++) {
        trickle.writeRaw(new byte[] {request[i]});
        try {
          trickleClosed.get(TRICKLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stillOpen) {
          // The next byte goes out half a second later, as a slow client's would.
        } catch (ExecutionException cannotHappen) {
          // closedWithin never fails; the judgement below reads the outcome.
        }
      }
    } catch (IOException closed) {
      // A write that fails means the server closed the connection, which the reader notes with its time.
    }
    judgeCut("a connection that sent half a handshake and fell silent", silentClosed, start, bound);
    judgeCut("a connection that sends its handshake a byte every " + TRICKLE_EVERY.toMillis() + " ms", trickleClosed,
        start, bound);
  }

  /** Watches a connection on a thread of its own: the wait blocks on the socket. */
  private static CompletableFuture<Optional<Long>> closedWithin(RawWebSocket socket, Duration watch) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return socket.awaitClosedBeforeUpgrade(watch);
      } catch (IOException e) {
        return Optional.of(System.nanoTime());
      }
    }, task -> {
      Thread t = new Thread(task, "handshake-deadline-watch");
      t.setDaemon(true);
      t.start();
    });
  }

  private static void judgeCut(String what, CompletableFuture<Optional<Long>> closed, long start, long boundMillis)
      throws InterruptedException {
    Optional<Long> at;
    try {
      at = closed.get();
    } catch (ExecutionException e) {
      throw new CaseFailure("watching " + what + " failed: " + e.getCause());
    }
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(boundMillis);
    long end = at.orElse(System.nanoTime());
    if (at.isEmpty() || at.get() > deadline) {
      throw new CaseFailure(String.format("%s should be closed within %d ms of connecting; %s", what, boundMillis,
          at.isEmpty() ? "it was still open " + TimeUnit.NANOSECONDS.toMillis(end - start) + " ms after"
              : "it was closed after " + TimeUnit.NANOSECONDS.toMillis(at.get() - start) + " ms"),
          new TimingMiss(end - deadline, start, end));
    }
  }
}
