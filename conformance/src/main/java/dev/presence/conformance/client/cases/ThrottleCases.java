package dev.presence.conformance.client.cases;

import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.adapter.v1.Update;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.directed.CaseFailure;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.protocol.v1.ConnectRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** SPEC §7.1: the client's update throttle, its edges, clears, the own state and the checks before sending. */
final class ThrottleCases {

  /** The smallest window PRS-LIM-2 lets a server advertise. */
  private static final int SHORT_WINDOW = 16;
  /** The largest window PRS-LIM-2 lets a server advertise: long enough that a held state is plain to see. */
  private static final int LONG_WINDOW = 1000;
  /** Updates per burst, as a pointer moving for a moment. */
  private static final int BURST = 12;
  /** The pace of a burst: faster than any window, so that most updates of a burst fall within one. */
  private static final long BURST_PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private ThrottleCases() {}

  static List<ClientCase> all() {
    return List.of(
        ClientCase.checks("PRS-THC-1", "bursts of updates under an advertised 16 ms window: no two update_state "
                + "frames less than W apart (the 50 ms before opened is not exercised)",
            "A client MUST NOT send two `update_state` frames less than W apart on one session.",
            "afterwards the advertised value").by(p -> bursts(p, SHORT_WINDOW, 6)),
        ClientCase.checks("PRS-THC-1", "bursts of updates under an advertised 1000 ms window: no two update_state "
                + "frames less than W apart (the 50 ms before opened is not exercised)",
            "A client MUST NOT send two `update_state` frames less than W apart on one session.",
            "afterwards the advertised value").by(p -> bursts(p, LONG_WINDOW, 3)),
        ClientCase.checks("PRS-THC-2", "under a 1000 ms window, the first update and updates after a quiet window "
                + "go out at once",
            "When the application sets a state and no `update_state` was sent in the last W, the client MUST send "
                + "it at once (leading edge).").by(ThrottleCases::leadingEdge),
        ClientCase.checks("PRS-THC-3", "under a 1000 ms window, three states set within W of a send: only the "
                + "last goes out, when W has passed",
            "When the application sets a state within W of the last `update_state`, the client MUST hold it as the "
                + "pending state, replacing any earlier pending state, and MUST send the pending state when W has "
                + "passed since the last `update_state` (trailing edge).",
            "The last state the application sets MUST be sent.").by(ThrottleCases::trailingEdge),
        ClientCase.checks("PRS-THC-3", "bursts under a 16 ms window: each burst's last state is sent and nothing "
                + "it replaced follows it",
            "replacing any earlier pending state",
            "The last state the application sets MUST be sent.").by(ThrottleCases::lastOfEachBurst),
        ClientCase.checks("PRS-THC-4", "under a 1000 ms window, a clear after an update within W goes out at once "
                + "and the pending state is never sent",
            "A clear MUST be sent at once and MUST discard a pending state.").by(ThrottleCases::clearDiscards),
        ClientCase.checks("PRS-THC-5", "under a 1000 ms window, getState('') returns a held state before it is "
                + "sent, and null after a clear",
            "A client SHOULD make its own latest state readable by the application at once, before it is sent.")
            .by(ThrottleCases::ownStateAtOnce),
        ClientCase.checks("PRS-THC-6", "a state larger than max_state_bytes fails the update and is not sent",
            "SHOULD report a violation to the application as an error of that call, sending nothing.")
            .by(ThrottleCases::tooLarge),
        ClientCase.checks("PRS-THC-6", "a state deeper than max_state_depth fails the update and is not sent",
            "SHOULD report a violation to the application as an error of that call, sending nothing.")
            .by(ThrottleCases::tooDeep),
        ClientCase.checks("PRS-LIM-5", "max_state_depth 0 is read as 32: a state 20 deep is sent",
            "A client MUST read 0 in `max_state_depth` as 32").by(ThrottleCases::zeroDepthIs32));
  }

  private static KitCall connectWithWindow(ClientProbe p, int windowMillis) throws InterruptedException {
    p.autopilot().limits(Sent.limits().setThrottleWindowMillis(windowMillis).build());
    return p.connect();
  }

  /**
   * Runs bursts of updates, each followed by a pause that lasts until the burst's last state arrived, and returns
   * each burst's labels, which start with {@code prefix}, in the order they were set.
   */
  private static List<List<String>> runBursts(ClientProbe p, KitCall call, String prefix, int windowMillis,
      int bursts)
      throws InterruptedException {
    List<List<String>> set = new ArrayList<>();
    for (int b = 0; b < bursts; b++) {
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        String label = prefix + b + "-" + i;
        labels.add(label);
        p.update(p.state(label));
        // Paces the application's calls as a moving pointer would; nothing is judged by this pause.
        LockSupport.parkNanos(BURST_PACE_NANOS);
      }
      set.add(labels);
      Sent.awaitUpdate(p, call, labels.get(labels.size() - 1), windowMillis);
    }
    return set;
  }

  private static void bursts(ClientProbe p, int windowMillis, int bursts) throws InterruptedException {
    KitCall call = connectWithWindow(p, windowMillis);
    // A warm-up burst, not judged: in a young SDK process the first frames can sit in its transport for tens of
    // milliseconds while code loads, which bunches them on arrival more than the run's spacing tolerance allows.
    runBursts(p, call, "warm-up", windowMillis, 1);
    int warmUp = Sent.updates(call).size();
    runBursts(p, call, "burst", windowMillis, bursts);
    List<Inbound> updates = Sent.updates(call);
    requireSpacing(p, updates.subList(warmUp, updates.size()), windowMillis);
  }

  /**
   * Two frames k apart in the session must have left the SDK at least k windows apart. The network may delay the
   * earlier one more than the later, by up to the run's spacing tolerance, so that much closer is accepted; checking
   * every pair rather than neighbours keeps that tolerance from hiding a short window when it is as large as W.
   */
  static void requireSpacing(ClientProbe p, List<Inbound> updates, long windowMillis) {
    long window = TimeUnit.MILLISECONDS.toNanos(windowMillis);
    long tolerance = TimeUnit.MILLISECONDS.toNanos(p.timing().spacingToleranceMillis());
    long worst = 0;
    int worstI = -1;
    int worstJ = -1;
    for (int i = 0; i < updates.size(); i++) {
      for (int j = i + 1; j < updates.size(); j++) {
        long shortBy = (j - i) * window - tolerance - (updates.get(j).nanos() - updates.get(i).nanos());
        if (shortBy > worst) {
          worst = shortBy;
          worstI = i;
          worstJ = j;
        }
      }
    }
    if (worstI >= 0) {
      long gap = updates.get(worstJ).nanos() - updates.get(worstI).nanos();
      throw new CaseFailure(String.format("update_state frames %d and %d of the session ('%s', '%s') arrived "
              + "%.1f ms apart, less than %d windows of %d ms (with %d ms tolerance); %d update_state frames in all",
          worstI + 1, worstJ + 1, Sent.label(updates.get(worstI)), Sent.label(updates.get(worstJ)), gap / 1e6,
          worstJ - worstI, windowMillis, p.timing().spacingToleranceMillis(), updates.size()),
          new TimingMiss(worst, updates.get(worstI).nanos(), updates.get(worstJ).nanos()));
    }
  }

  private static void leadingEdge(ClientProbe p) throws InterruptedException {
    KitCall call = connectWithWindow(p, LONG_WINDOW);
    Inbound last = updateAtOnce(p, call, "first");
    for (int k = 1; k <= 2; k++) {
      // The last update_state left the SDK no later than it arrived, so a full window has passed for the SDK once
      // this moment has passed for the kit; the tolerance covers an SDK that stamps its sends a little late.
      long quietUntil = last.nanos() + TimeUnit.MILLISECONDS.toNanos(LONG_WINDOW + p.timing().spacingToleranceMillis());
      for (long left = quietUntil - System.nanoTime(); left > 0; left = quietUntil - System.nanoTime()) {
        TimeUnit.NANOSECONDS.sleep(left);
      }
      last = updateAtOnce(p, call, "after-quiet-" + k);
    }
  }

  private static Inbound updateAtOnce(ClientProbe p, KitCall call, String label) throws InterruptedException {
    long called = System.nanoTime();
    p.update(p.state(label));
    long returned = System.nanoTime();
    Inbound sent = Sent.awaitUpdate(p, call, label, LONG_WINDOW);
    Sent.requireAtOnce(p, sent, called, returned, "the update_state carrying '" + label + "'");
    return sent;
  }

  private static void trailingEdge(ClientProbe p) throws InterruptedException {
    KitCall call = connectWithWindow(p, LONG_WINDOW);
    long calledA = System.nanoTime();
    p.update(p.state("a"));
    Inbound a = Sent.awaitUpdate(p, call, "a", LONG_WINDOW);
    p.update(p.state("b"));
    p.update(p.state("c"));
    p.update(p.state("d"));
    long setD = System.nanoTime();
    requireWithinWindow(calledA, setD, "b, c and d");
    Inbound d = Sent.awaitUpdate(p, call, "d", LONG_WINDOW);
    // 'a' left the SDK no later than it arrived, so 'd' is owed one window after that, plus the run's slack.
    long due = a.nanos() + TimeUnit.MILLISECONDS.toNanos(LONG_WINDOW + p.timing().slackMillis());
    if (d.nanos() > due) {
      throw new CaseFailure(String.format("the pending state 'd' arrived %.1f ms after 'a'; the trailing edge is "
          + "owed when W = %d ms has passed", (d.nanos() - a.nanos()) / 1e6, LONG_WINDOW),
          new TimingMiss(d.nanos() - due, a.nanos(), d.nanos()));
    }
    // Barrier: 'e' is held behind 'd' and must come after anything the SDK still meant to send.
    p.update(p.state("e"));
    Sent.awaitUpdate(p, call, "e", LONG_WINDOW);
    List<String> labels = Sent.labels(Sent.updates(call));
    if (!labels.equals(List.of("a", "d", "e"))) {
      throw p.failure("the application set a, then b, c and d within W, then e after d was sent; the session "
          + "carried " + labels + ", not [a, d, e]: b and c were replaced while pending");
    }
  }

  /** Fails, as a timing miss, when the kit itself took so long that the states were not set within W. */
  private static void requireWithinWindow(long sentNoEarlierThan, long setBy, String what) {
    long window = TimeUnit.MILLISECONDS.toNanos(LONG_WINDOW);
    if (setBy - sentNoEarlierThan >= window) {
      throw new CaseFailure("the kit took " + TimeUnit.NANOSECONDS.toMillis(setBy - sentNoEarlierThan)
          + " ms to set " + what + ", so they may not fall within W of the last send",
          new TimingMiss(setBy - sentNoEarlierThan - window + 1, sentNoEarlierThan, setBy));
    }
  }

  private static void lastOfEachBurst(ClientProbe p) throws InterruptedException {
    KitCall call = connectWithWindow(p, SHORT_WINDOW);
    List<List<String>> bursts = runBursts(p, call, "burst", SHORT_WINDOW, 4);
    // Barrier: the clear goes out after anything the SDK still meant to send.
    p.clear();
    call.awaitInbound(ConnectRequest.FrameCase.CLEAR_STATE, p.timing().requestTimeout())
        .orElseThrow(() -> p.failure("expected a clear_state after the last burst"));
    List<String> labels = Sent.labels(Sent.updates(call));
    for (List<String> burst : bursts) {
      String last = burst.get(burst.size() - 1);
      int at = labels.indexOf(last);
      for (String later : labels.subList(at + 1, labels.size())) {
        if (burst.contains(later)) {
          throw p.failure("'" + later + "' was sent after '" + last + "', which the application set after it; "
              + "the session carried " + labels);
        }
      }
    }
  }

  private static void clearDiscards(ClientProbe p) throws InterruptedException {
    KitCall call = connectWithWindow(p, LONG_WINDOW);
    p.update(p.state("a"));
    Sent.awaitUpdate(p, call, "a", LONG_WINDOW);
    p.update(p.state("b"));
    long called = System.nanoTime();
    p.clear();
    long returned = System.nanoTime();
    Inbound clear = call.awaitInbound(ConnectRequest.FrameCase.CLEAR_STATE, p.timing().requestTimeout())
        .orElseThrow(() -> p.failure("expected a clear_state within " + p.timing().requestTimeout().toMillis()
            + " ms of the clear"));
    Sent.requireAtOnce(p, clear, called, returned, "the clear_state");
    // Barrier: 'c' is held for the rest of the window and must come after the discarded 'b', were it sent.
    p.update(p.state("c"));
    Sent.awaitUpdate(p, call, "c", LONG_WINDOW);
    List<String> after = Sent.labels(Sent.updates(call).stream().filter(u -> u.nanos() > clear.nanos()).toList());
    if (!after.equals(List.of("c"))) {
      throw p.failure("after the clear_state the session carried " + after + ", not [c]: the state 'b', pending "
          + "when the application cleared, must be discarded");
    }
  }

  private static void ownStateAtOnce(ClientProbe p) throws InterruptedException {
    KitCall call = connectWithWindow(p, LONG_WINDOW);
    p.update(p.state("a"));
    Sent.awaitUpdate(p, call, "a", LONG_WINDOW);
    p.update(p.state("b"));
    Optional<String> own = p.getState("").map(ClientProbe::label);
    if (!own.equals(Optional.of("b"))) {
      throw p.failure("right after setting 'b', held by the throttle, getState('') returned "
          + own.orElse("null"));
    }
    p.clear();
    Optional<String> cleared = p.getState("").map(ClientProbe::label);
    if (cleared.isPresent()) {
      throw p.failure("right after a clear, getState('') returned '" + cleared.get() + "', not null");
    }
  }

  private static void tooLarge(ClientProbe p) throws InterruptedException {
    int max = 1024;
    p.autopilot().limits(Sent.limits().setMaxStateBytes(max).build());
    KitCall call = p.connect();
    refusedThenNothingSent(p, call, Sent.padded(p, "too-large", 2 * max),
        "a state of " + (2 * max) + " bytes and more, with max_state_bytes " + max);
  }

  private static void tooDeep(ClientProbe p) throws InterruptedException {
    int max = 8;
    p.autopilot().limits(Sent.limits().setMaxStateDepth(max).build());
    KitCall call = p.connect();
    refusedThenNothingSent(p, call, Sent.deep(p, "too-deep", max + 4),
        "a state " + (max + 4) + " deep, with max_state_depth " + max);
  }

  private static void refusedThenNothingSent(ClientProbe p, KitCall call, com.google.protobuf.Struct state,
      String what) throws InterruptedException {
    Result r = p.call(Command.newBuilder().setUpdate(Update.newBuilder().setState(state)));
    if (!r.hasFailure()) {
      throw p.failure("the update of " + what + " succeeded; it should fail");
    }
    // Barrier: a valid state set afterwards arrives after anything the SDK sent for the refused one.
    p.update(p.state("fits"));
    Sent.awaitUpdate(p, call, "fits", Sent.limits().getThrottleWindowMillis());
    List<String> labels = Sent.labels(Sent.updates(call));
    if (!labels.equals(List.of("fits"))) {
      throw p.failure("the update of " + what + " failed, but the session carried " + labels
          + ": nothing should be sent for it");
    }
  }

  private static void zeroDepthIs32(ClientProbe p) throws InterruptedException {
    p.autopilot().limits(Sent.limits().setMaxStateDepth(0).setMaxOutboundFrameBytes(0).build());
    KitCall call = p.connect();
    Result r = p.call(Command.newBuilder().setUpdate(Update.newBuilder().setState(Sent.deep(p, "twenty", 20))));
    if (r.hasFailure()) {
      throw p.failure("with max_state_depth 0 advertised, the update of a state 20 deep failed: "
          + r.getFailure().getReason() + " " + r.getFailure().getMessage());
    }
    Sent.awaitUpdate(p, call, "twenty", Sent.limits().getThrottleWindowMillis());
  }
}
