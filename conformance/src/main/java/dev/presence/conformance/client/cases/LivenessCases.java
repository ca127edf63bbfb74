package dev.presence.conformance.client.cases;

import dev.presence.conformance.adapter.v1.ConnectionState;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.SdkFeature;
import dev.presence.conformance.client.adapter.Timed;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.directed.CaseFailure;
import dev.presence.conformance.directed.NotApplicable;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.protocol.v1.Capability;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** SPEC §13.1 as a client lives it: answering the server's pings, and noticing a server that went silent. */
final class LivenessCases {

  /** A throttle window long enough that a pending state is plainly held (the largest PRS-LIM-2 allows). */
  private static final int LONG_WINDOW = 1000;
  /** A short leave detection bound, so that a silent server is noticed in seconds. */
  private static final int LEAVE_DETECTION = 1500;

  private LivenessCases() {}

  static List<ClientCase> all() {
    return List.of(
        ClientCase.checks("PRS-LIV-3", "server pings, one with the largest nonce, get pongs with the same nonce",
            "A peer receiving `ping` MUST answer with `pong` carrying the same `nonce`.")
            .by(LivenessCases::pongEchoesNonce),
        ClientCase.checks("PRS-LIV-5", "a ping while an update is held under a 1000 ms window is answered at once, "
                + "before the held update",
            "A client that declares `CAPABILITY_PING` MUST answer server pings while live, at once and never behind "
                + "its update throttle.").by(LivenessCases::pongNotThrottled),
        ClientCase.checks("PRS-LIV-9", "a blackholed connection is given up within leave_detection_millis and a "
                + "new session opens (HTTP/2 PING spacing is not observable here)",
            "A client SHOULD detect a server that stopped responding",
            "it treats no answer within the other half as a lost connection (PRS-RCN-1)")
            .by(LivenessCases::silentServer));
  }

  /** The kit may ping only a session that declared CAPABILITY_PING (PRS-LIV-4). */
  private static KitCall connectDeclaringPing(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    boolean declared = call.open().map(o -> o.getCapabilitiesList().contains(Capability.CAPABILITY_PING))
        .orElse(false);
    if (!declared) {
      throw new NotApplicable("the SDK did not declare CAPABILITY_PING in open, so a server may not ping it");
    }
    return call;
  }

  private static void pongEchoesNonce(ClientProbe p) throws InterruptedException {
    KitCall call = connectDeclaringPing(p);
    for (long nonce : new long[] {7, -1L}) {
      call.sendPing(nonce);
      call.awaitPong(nonce, p.timing().requestTimeout()).orElseThrow(() -> p.failure("expected a pong with nonce "
          + Long.toUnsignedString(nonce) + " within " + p.timing().requestTimeout().toMillis() + " ms; the pongs "
          + "carried " + call.pongs().stream().map(in -> Long.toUnsignedString(
              in.frame().orElseThrow().getPong().getNonce())).toList()));
    }
  }

  private static void pongNotThrottled(ClientProbe p) throws InterruptedException {
    p.autopilot().limits(Sent.limits().setThrottleWindowMillis(LONG_WINDOW).build());
    KitCall call = connectDeclaringPing(p);
    p.update(p.state("sent"));
    Sent.awaitUpdate(p, call, "sent", LONG_WINDOW);
    p.update(p.state("held"));
    long nonce = 0x5eed;
    long pinged = System.nanoTime();
    call.sendPing(nonce);
    Inbound pong = call.awaitPong(nonce, p.timing().requestTimeout())
        .orElseThrow(() -> p.failure("expected a pong within " + p.timing().requestTimeout().toMillis() + " ms"));
    Inbound held = Sent.awaitUpdate(p, call, "held", LONG_WINDOW);
    if (held.nanos() < pinged) {
      throw p.failure("the state 'held' was sent within W of the last update_state, before the kit could ping "
          + "behind it");
    }
    if (pong.nanos() > held.nanos()) {
      throw p.failure("the pong came after the held update_state: it waited behind the update throttle");
    }
    long deadline = pinged + TimeUnit.MILLISECONDS.toNanos(p.timing().slackMillis());
    if (pong.nanos() > deadline) {
      throw new CaseFailure(String.format("the pong arrived %.1f ms after the ping; at once allows %d ms",
          (pong.nanos() - pinged) / 1e6, p.timing().slackMillis()),
          new TimingMiss(pong.nanos() - deadline, pinged, pong.nanos()));
    }
  }

  private static void silentServer(ClientProbe p) throws InterruptedException {
    p.requireSupport(SdkFeature.CONNECTION_STATES);
    p.autopilot().limits(Sent.limits().setLeaveDetectionMillis(LEAVE_DETECTION).build());
    p.connect();
    int mark = p.mark();
    long silentFrom = System.nanoTime();
    p.server().blackhole();
    Optional<Timed> gaveUp;
    try {
      // The SDK says it gave up by leaving OPEN; nothing else is visible while no byte gets through.
      gaveUp = p.sdk().awaitReport(mark, r -> r.hasConnection()
              && r.getConnection().getState() != ConnectionState.CONNECTION_STATE_OPEN,
          p.timing().requestTimeout().plusMillis(LEAVE_DETECTION));
    } finally {
      // Heals before the SDK's next session, so that it can get through.
      p.server().heal();
    }
    if (gaveUp.isEmpty()) {
      throw p.failure("the SDK did not leave OPEN within " + (LEAVE_DETECTION
          + p.timing().requestTimeout().toMillis()) + " ms of the server going silent, with leave_detection_millis "
          + LEAVE_DETECTION);
    }
    // The connection may have been tried while still silent; the SDK abandons such an attempt after a bound too.
    p.awaitCall(1, p.timing().requestTimeout().plus(Duration.ofMillis(2L * LEAVE_DETECTION)),
        "a new session after the silent one was given up");
    // Whatever the SDK last heard came before the silence, so it owes the verdict by the bound after it started.
    long deadline = silentFrom + TimeUnit.MILLISECONDS.toNanos(LEAVE_DETECTION + p.timing().slackMillis());
    long at = gaveUp.get().nanos();
    if (at > deadline) {
      throw new CaseFailure(String.format("the SDK gave up on the silent server %.1f ms after it went silent; "
              + "leave_detection_millis is %d", (at - silentFrom) / 1e6, LEAVE_DETECTION),
          new TimingMiss(at - deadline, silentFrom, at));
    }
  }
}
