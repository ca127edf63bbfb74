package dev.presence.conformance.client.cases;

import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.client.server.Outbound;
import dev.presence.conformance.directed.CaseFailure;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Subscribe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PRS-RCN-6: an SDK whose token says when it expires replaces its session before then, make-before-break, and
 * leaves the old one only once the new one has answered a frame sent after its restore.
 */
final class MakeBeforeBreak {

  /** How far ahead the first token expires: long enough to set up, short enough to wait for the refresh. */
  private static final Duration FIRST_LIFETIME = Duration.ofSeconds(6);
  /** The fresh token outlives the case. */
  private static final Duration FRESH_LIFETIME = Duration.ofHours(1);

  private MakeBeforeBreak() {}

  static void run(ClientProbe p) throws InterruptedException {
    long expSeconds = System.currentTimeMillis() / 1000 + FIRST_LIFETIME.toSeconds();
    // The kit's clock is System.nanoTime; the claim is wall-clock seconds.
    long expiryNanos = System.nanoTime() + (expSeconds * 1000 - System.currentTimeMillis()) * 1_000_000L;
    String fresh = jwt(System.currentTimeMillis() / 1000 + FRESH_LIFETIME.toSeconds(), "fresh");
    p.room().set("other", p.state("o1"));
    p.room().set("friend", p.state("f1"));
    KitCall old = p.connect(jwt(expSeconds, "first"), fresh);
    Restorable before = Restorable.setUp(p, old, "friend");
    int start = p.mark();
    // Answers to the new session's restore are held, so that a leave sent before any answer shows.
    p.autopilot().holdSnapshotComplete(true);
    long waitNanos = Math.max(0, expiryNanos - System.nanoTime()) + p.timing().slackMillis() * 1_000_000L;
    KitCall next = p.server().awaitCall(1, Duration.ofNanos(waitNanos)).orElseThrow(() -> new CaseFailure(
        "the SDK opened no second session before its token expired (exp claim " + FIRST_LIFETIME.toSeconds()
            + " s after connect)", new TimingMiss(p.timing().slackMillis() * 1_000_000L, expiryNanos,
            System.nanoTime())));
    p.autopilot().answerPings(false);
    long arrived = CallFacts.openArrival(p, next);
    if (arrived > expiryNanos) {
      throw new CaseFailure("the second session came " + (arrived - expiryNanos) / 1_000_000 + " ms after the "
          + "first token expired", new TimingMiss(arrived - expiryNanos, expiryNanos, arrived));
    }
    String auth = next.authorization().orElse("");
    if (!auth.contains(fresh)) {
      throw p.failure("the second session's authorization is '" + auth + "'; expected the token source's next "
          + "token");
    }
    before.expectRestoredOn(p, next);
    // An early leave has a moment to show while nothing on the new session is answered.
    old.awaitInbound(ConnectRequest.FrameCase.LEAVE, CallFacts.slack(p));
    p.autopilot().answerPings(true);
    for (Inbound ping : next.inbound(ConnectRequest.FrameCase.PING)) {
      if (!answered(next, ping)) {
        next.answer(ping);
      }
    }
    p.autopilot().holdSnapshotComplete(false);
    p.autopilot().releaseSnapshotCompletes();
    Inbound leave = old.awaitInbound(ConnectRequest.FrameCase.LEAVE, p.timing().requestTimeout())
        .orElseThrow(() -> p.failure("the SDK never sent leave on the old session after the new one opened"));
    Optional<Long> proof = firstAnswerAfterRestore(next, before.subscribes());
    if (proof.isEmpty() || proof.get() > leave.nanos()) {
      throw p.failure("the SDK sent leave on the old session before the new session answered any frame sent "
          + "after its restore (a pong, or the last snapshot_complete)");
    }
    int barrier = p.mark();
    p.room().set("other", p.state("o2"));
    p.awaitChange(barrier, "all", c -> c.getUserId().equals("other") && c.hasState()
        && ClientProbe.label(c.getState()).equals("o2"), "state o2 of other, set after the swap");
    p.reportsSince(start).stream().filter(t -> t.report().hasChange() && !t.report().getChange().hasState())
        .findFirst().ifPresent(t -> {
          throw p.failure("the application saw a null during the swap: " + CallFacts.describe(t.report()));
        });
  }

  /** When the kit first answered, on the new session, a frame sent after its last restoring subscribe. */
  static Optional<Long> firstAnswerAfterRestore(KitCall next, List<Subscribe> restored) {
    List<Inbound> in = next.inbound();
    Set<String> ids = new HashSet<>();
    restored.forEach(s -> ids.add(s.getSubscriptionId()));
    int last = -1;
    long lastRequestId = -1;
    for (int i = 0; i < in.size(); i++) {
      Optional<ConnectRequest> f = in.get(i).frame();
      if (f.isPresent() && f.get().hasSubscribe() && ids.contains(f.get().getSubscribe().getSubscriptionId())) {
        last = i;
        lastRequestId = f.get().getRequestId();
      }
    }
    Set<Long> laterPings = new HashSet<>();
    for (Inbound i : in.subList(last + 1, in.size())) {
      i.frame().filter(ConnectRequest::hasPing).ifPresent(f -> laterPings.add(f.getPing().getNonce()));
    }
    long requestId = lastRequestId;
    for (Outbound out : next.outbound()) {
      Optional<ConnectResponse> f = out.frame();
      if (f.isPresent() && ((f.get().hasPong() && laterPings.contains(f.get().getPong().getNonce()))
          || (f.get().hasSnapshotComplete() && f.get().getSnapshotComplete().getRequestId() == requestId))) {
        return Optional.of(out.nanos());
      }
    }
    return Optional.empty();
  }

  static boolean answered(KitCall call, Inbound ping) {
    long nonce = ping.frame().orElseThrow().getPing().getNonce();
    return call.outbound().stream().anyMatch(o -> o.frame().filter(ConnectResponse::hasPong)
        .map(f -> f.getPong().getNonce() == nonce).orElse(false));
  }

  /** An unsigned JWT: the SDK reads its exp claim; only a server would check the signature. */
  static String jwt(long expSeconds, String subject) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(("{\"sub\":\"kit-" + subject + "\",\"exp\":" + expSeconds + "}")
        .getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + "." + b64.encodeToString("kit-signature".getBytes(StandardCharsets.UTF_8));
  }
}
