package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.awaitEvent;
import static dev.presence.conformance.directed.Expect.limit;
import static dev.presence.conformance.directed.Expect.marked;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.directed.WsWire.Event;
import dev.presence.conformance.driver.RawWebSocket;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.Subscribe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Liveness and flow control on the WebSocket binding, Draft 3: the server's Ping probe (PRS-WS-13), the client's
 * Pings (PRS-WS-14) and a reader that stalls (PRS-WS-15). They need a {@code ws://} or {@code wss://} endpoint and
 * are NOT-APPLICABLE without one.
 */
final class WebSocketLivenessCases {

  private static final int CLIENT_PINGS = 4;
  private static final Duration CLIENT_PING_EVERY = Duration.ofMillis(1000);
  /** Small enough that a paused reader's window fills after a few frames, so that the server has to hold back. */
  private static final int STALLED_RECEIVE_BUFFER = 16 * 1024;
  private static final byte[] KEEPALIVE_PAYLOAD = "kit keepalive".getBytes(StandardCharsets.UTF_8);

  private WebSocketLivenessCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-WS-13",
            "For PRS-LIV-1 a server MUST probe a connection from which it has received nothing",
            "with a WebSocket Ping frame, and MUST treat the peer as unreachable when nothing arrives within the "
                + "other half: the session ends with null reason TIMED_OUT, within the same bound.")
            .by(WebSocketLivenessCases::silentPeerIsProbedThenTimedOut),
        DirectedCase.checks("PRS-WS-14",
            "A server MUST answer a client's WebSocket Ping frames with Pong frames as RFC 6455 requires, and MUST "
                + "NOT end a connection or a session because of Ping frames sent at intervals of 1000 ms or more.")
            .by(WebSocketLivenessCases::clientPingsAreAnswered),
        DirectedCase.checks("PRS-WS-15",
            "it coalesces under §7.2 as it does for a gRPC call that is not ready.")
            .by(WebSocketLivenessCases::stalledReaderGetsTheLatest));
  }

  /**
   * A raw session sends a state and falls silent without closing anything, its reader still reading: a Ping must
   * come, and, left unanswered, the others must hear TIMED_OUT within leave_detection_millis plus the window of its
   * last frame. The rule gives the probe no precision of its own, so the kit requires it only before that bound; a
   * server that checks silence periodically probes somewhat after the half and waits somewhat less than the other
   * half, and still meets the bound.
   */
  private static void silentPeerIsProbedThenTimedOut(Probe p) throws InterruptedException {
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    WsWire.Joined silent = WsWire.join(p, "u1", 0);
    Limits limits = silent.opened().getLimits();
    String user = silent.opened().getSelf().getUserId();
    int from = p.mark();
    silent.wire().send(Expect.update(0, marked("about to fall silent")));
    long lastSent = System.nanoTime();
    awaitEvent(p, watcher.session(), from, user, "the state of the session about to fall silent");
    long leaveDetection = limit(limits.getLeaveDetectionMillis());
    long nullBy = lastSent + TimeUnit.MILLISECONDS.toNanos(leaveDetection + limit(limits.getThrottleWindowMillis())
        + 25 + p.timing().slackMillis());
    Optional<Long> ping = firstPing(silent.wire(), nullBy);
    if (ping.isEmpty()) {
      long now = System.nanoTime();
      throw new CaseFailure("a connection silent since its last frame got no WebSocket Ping within "
          + "leave_detection_millis plus the window (" + TimeUnit.NANOSECONDS.toMillis(nullBy - lastSent) + " ms)",
          new TimingMiss(Math.max(0, now - nullBy), lastSent, now));
    }
    PresenceEvent left = p.await(watcher.session(), from, r -> r.getPresence().getEventsList().stream()
        .anyMatch(e -> e.getUserId().equals(user) && !e.hasState()), "the null of the silent session",
        Duration.ofNanos(Math.max(0, nullBy - System.nanoTime()))).getPresence().getEventsList().stream()
        .filter(e -> e.getUserId().equals(user) && !e.hasState()).findFirst().orElseThrow();
    if (left.getNullReason() != NullReason.NULL_REASON_TIMED_OUT) {
      throw new CaseFailure("a session whose peer never answered the server's Ping should end TIMED_OUT; the null "
          + "said " + left.getNullReason());
    }
  }

  private static Optional<Long> firstPing(WsWire wire, long untilNanos) throws InterruptedException {
    while (System.nanoTime() < untilNanos) {
      Optional<Event> e = wire.next(Duration.ofNanos(Math.max(0, untilNanos - System.nanoTime())));
      if (e.isEmpty()) {
        return Optional.empty();
      }
      if (e.get() instanceof WsWire.Ping ping) {
        return Optional.of(ping.nanos());
      }
      if (e.get() instanceof WsWire.Closed c) {
        throw new CaseFailure("the silent connection closed before any Ping: " + c.describe());
      }
    }
    return Optional.empty();
  }

  private static void keepAlive(WsWire wire) {
    wire.write(() -> wire.socket().sendMessage(RawWebSocket.PING, KEEPALIVE_PAYLOAD));
  }

  private static void clientPingsAreAnswered(Probe p) throws InterruptedException {
    WsWire.Joined j = WsWire.join(p, "u1", 0);
    WsWire wire = j.wire();
    for (int i = 0; i < CLIENT_PINGS; i++) {
      if (i > 0) {
        p.idle(CLIENT_PING_EVERY);
      }
      byte[] payload = ("kit ping " + i).getBytes(StandardCharsets.UTF_8);
      wire.write(() -> wire.socket().sendMessage(RawWebSocket.PING, payload));
      awaitPong(p, wire, payload);
    }
    long nonce = 0x3A57L;
    wire.send(WebSocketFrameCases.ping(nonce));
    wire.await(r -> r.hasPong() && r.getPong().getNonce() == nonce, "a pong to a ping frame after " + CLIENT_PINGS
        + " WebSocket Pings a second apart", p.timing().requestTimeout());
  }

  private static void awaitPong(Probe p, WsWire wire, byte[] payload) throws InterruptedException {
    long deadline = System.nanoTime() + p.timing().requestTimeout().toNanos();
    while (true) {
      Optional<Event> e = wire.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (e.isEmpty()) {
        throw new CaseFailure("no Pong answered the WebSocket Ping '" + new String(payload, StandardCharsets.UTF_8)
            + "' within " + p.timing().requestTimeout().toMillis() + " ms");
      }
      if (e.get() instanceof WsWire.Pong pong) {
        if (!Arrays.equals(pong.payload(), payload)) {
          throw new CaseFailure("a Pong must carry its Ping's payload (RFC 6455 §5.5.3); it carried '"
              + new String(pong.payload(), StandardCharsets.UTF_8) + "'");
        }
        return;
      }
      if (e.get() instanceof WsWire.Closed c) {
        throw new CaseFailure("the server closed a connection that sent WebSocket Pings a second apart: "
            + c.describe());
      }
    }
  }

  /**
   * A subscriber that stops reading its socket while a crowd updates twice: once it reads again, it must get every
   * member's latest state, however much the server held back or dropped meanwhile.
   */
  private static void stalledReaderGetsTheLatest(Probe p) throws InterruptedException {
    WsWire.Joined watcher = WsWire.join(p, "watcher", STALLED_RECEIVE_BUFFER);
    watcher.wire().send(dev.presence.protocol.v1.ConnectRequest.newBuilder().setRequestId(15)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId("w").setTarget(Expect.everyone())).build());
    watcher.wire().await(r -> r.hasSnapshotComplete(), "snapshot_complete", p.timing().requestTimeout());
    Limits limits = watcher.opened().getLimits();
    // The watcher says nothing until the stall; a WebSocket Ping per member that joins keeps the server from
    // timing it out (PRS-LIV-1) while a large crowd opens on a slow machine.
    Crowd crowd = Crowd.over(p, limits, limit(limits.getMaxOutboundFrameBytes()), () -> keepAlive(watcher.wire()));
    watcher.wire().socket().pauseReading();
    crowd.sendStates("a");
    crowd.sendStates("b");
    watcher.wire().socket().resumeReading();
    Set<String> missing = new HashSet<>();
    for (Joined member : crowd.members()) {
      missing.add(member.opened().getSelf().getUserId());
    }
    long deadline = System.nanoTime() + p.timing().requestTimeout().toNanos();
    while (!missing.isEmpty()) {
      Optional<Event> e = watcher.wire().next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (e.isEmpty()) {
        throw new CaseFailure("a subscriber that stalled while " + crowd.members().size() + " users updated "
            + "twice never got the latest state of " + missing.size() + " of them");
      }
      if (e.get() instanceof WsWire.Closed c) {
        throw new CaseFailure("the stalled subscriber's connection closed: " + c.describe());
      }
      if (e.get() instanceof WsWire.Frame f) {
        for (int i = 0; i < crowd.members().size(); i++) {
          String user = crowd.members().get(i).opened().getSelf().getUserId();
          com.google.protobuf.Struct last = crowd.stateOf(i, "b");
          if (f.frame().getPresence().getEventsList().stream()
              .anyMatch(ev -> ev.getUserId().equals(user) && ev.getState().equals(last))) {
            missing.remove(user);
          }
        }
      }
    }
  }
}
