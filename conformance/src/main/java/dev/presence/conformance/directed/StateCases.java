package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.awaitEvent;
import static dev.presence.conformance.directed.Expect.expectError;
import static dev.presence.conformance.directed.Expect.limit;
import static dev.presence.conformance.directed.Expect.marked;
import static dev.presence.conformance.directed.Expect.noPresenceSince;
import static dev.presence.conformance.directed.Expect.update;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** State contents, Draft 2: depth (PRS-STA-7), values (PRS-STA-8) and which check wins (PRS-ERR-6). */
final class StateCases {

  private StateCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-STA-7",
            "The depth of a state is the number of Struct and ListValue values on the longest path from the "
                + "state inward, the state itself counting 1",
            "A state deeper than Limits.max_state_depth MUST get a ProtocolError with reason STATE_TOO_DEEP, "
                + "and the previous session state MUST stay in effect and MUST NOT be delivered again.",
            "A server MUST accept every state within both max_state_depth and max_state_bytes, whatever "
                + "recursion limit its decoder has, and MUST NOT report a deep state as MALFORMED_FRAME or "
                + "UNSUPPORTED_FRAME.")
            .by(StateCases::depthLimit),
        DirectedCase.checks("PRS-STA-8",
            "A state that contains a google.protobuf.Value with no kind set, a number_value that is NaN or an "
                + "infinity, or invalid UTF-8 in a key or string MUST get a ProtocolError with reason INVALID_STATE, "
                + "and the previous session state MUST stay in effect.")
            .by(StateCases::invalidValues),
        DirectedCase.checks("PRS-ERR-6",
            "When one frame meets several non-fatal conditions, the server MUST report the first that applies, "
                + "in this order for each kind: update_state: STATE_MISSING, STATE_TOO_DEEP, INVALID_STATE, "
                + "STATE_TOO_LARGE; subscribe: INVALID_SUBSCRIPTION_ID, TARGET_MISSING, INVALID_USER_ID, "
                + "TOO_MANY_SUBSCRIPTIONS; unsubscribe: INVALID_SUBSCRIPTION_ID, UNKNOWN_SUBSCRIPTION; follow: "
                + "REQUEST_ID_MISSING, INVALID_USER_ID, TOO_MANY_FOLLOWS; unfollow: REQUEST_ID_MISSING, "
                + "INVALID_USER_ID.")
            .by(StateCases::updateStatePrecedence));
  }

  /** A sender whose accepted state a watcher has seen; rejected states must leave it in place. */
  private record Stage(Joined sender, Joined watcher, Struct accepted) {}

  private static Stage stage(Probe p, Struct first) throws InterruptedException {
    Joined sender = p.join("u1");
    Joined watcher = p.join("u2");
    p.subscribeAll(watcher.session(), "w");
    int from = p.mark();
    Expect.send(sender.session(), first);
    PresenceEvent e = awaitEvent(p, watcher.session(), from, sender.opened().getSelf().getUserId(), "a state");
    if (!e.getState().equals(first)) {
      throw new CaseFailure("the watcher received " + e.getState() + " for a state sent as " + first);
    }
    return new Stage(sender, watcher, first);
  }

  /** After rejections: nothing reached the watcher, and a new subscription still sees the accepted state. */
  private static void previousStateStays(Probe p, Stage stage, int from) throws InterruptedException {
    noPresenceSince("after rejected states", p, stage.watcher().session(), from);
    Joined late = p.join("u3");
    int at = p.mark();
    p.subscribeAll(late.session(), "late");
    String user = stage.sender().opened().getSelf().getUserId();
    boolean kept = p.receivedSince(late.session(), at).stream().flatMap(r -> r.getPresence().getEventsList()
        .stream()).anyMatch(e -> e.getUserId().equals(user) && stage.accepted().equals(e.getState()));
    if (!kept) {
      throw new CaseFailure("after rejected states, a new subscription did not see the last accepted state");
    }
  }

  private static int maxDepth(Probe p) {
    int depth = (int) limit(p.limits().getMaxStateDepth());
    if (depth == 0) {
      throw new CaseFailure("Limits.max_state_depth is not advertised (0)");
    }
    return depth;
  }

  private static void depthLimit(Probe p) throws InterruptedException {
    p.join("u0");
    int depth = maxDepth(p);
    Stage stage = stage(p, States.ofDepth(depth, false));
    int from = p.mark();
    Expect.send(stage.sender().session(), States.ofDepth(depth, true));
    PresenceEvent e = awaitEvent(p, stage.watcher().session(), from, stage.sender().opened().getSelf().getUserId(),
        "a state of max_state_depth alternating lists and structs");
    if (!e.getState().equals(States.ofDepth(depth, true))) {
      throw new CaseFailure("a state of depth " + depth + " was not delivered exactly");
    }
    Stage kept = new Stage(stage.sender(), stage.watcher(), States.ofDepth(depth, true));
    from = p.mark();
    for (boolean alternate : new boolean[] {false, true}) {
      expectError("depth " + (depth + 1) + (alternate ? " with lists" : ""), p, stage.sender().session(),
          update(60, States.ofDepth(depth + 1, alternate)), ErrorReason.ERROR_REASON_STATE_TOO_DEEP);
    }
    previousStateStays(p, kept, from);
  }

  private static Map<String, Struct> invalidStates() {
    Map<String, Struct> states = new LinkedHashMap<>();
    states.put("a Value with no kind", Struct.newBuilder().putFields("v", Value.getDefaultInstance()).build());
    states.put("NaN", number(Double.NaN));
    states.put("+Infinity", number(Double.POSITIVE_INFINITY));
    states.put("-Infinity", number(Double.NEGATIVE_INFINITY));
    states.put("a kindless Value inside a list", Struct.newBuilder().putFields("l", Value.newBuilder()
        .setListValue(ListValue.newBuilder().addValues(Value.newBuilder().setNumberValue(1))
            .addValues(Value.getDefaultInstance())).build()).build());
    return states;
  }

  private static Struct number(double n) {
    return Struct.newBuilder().putFields("v", Value.newBuilder().setNumberValue(n).build()).build();
  }

  private static void invalidValues(Probe p) throws InterruptedException {
    Stage stage = stage(p, marked("valid"));
    int from = p.mark();
    for (Map.Entry<String, Struct> bad : invalidStates().entrySet()) {
      expectError(bad.getKey(), p, stage.sender().session(), update(61, bad.getValue()),
          ErrorReason.ERROR_REASON_INVALID_STATE);
    }
    for (Struct spoiled : List.of(marked(InvalidUtf8.MARKER), Struct.newBuilder().putFields(InvalidUtf8.MARKER,
        Value.newBuilder().setBoolValue(true).build()).build())) {
      int at = p.mark();
      stage.sender().session().sendBytes(InvalidUtf8.spoil(update(62, spoiled)));
      ConnectResponse r = p.await(stage.sender().session(), at, ConnectResponse::hasError, "INVALID_STATE");
      if (r.getError().getReason() != ErrorReason.ERROR_REASON_INVALID_STATE) {
        throw new CaseFailure("invalid UTF-8 in a state's " + (spoiled.containsFields("mark") ? "string" : "key")
            + " should get INVALID_STATE; got " + r.getError().getReason());
      }
    }
    previousStateStays(p, stage, from);
  }

  private static void updateStatePrecedence(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    int depth = maxDepth(p);
    int tooLarge = (int) limit(j.opened().getLimits().getMaxStateBytes()) + 1;
    Struct deepWithNaN = Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(Double.NaN).build())
        .putFields("deep", Value.newBuilder().setStructValue(States.ofDepth(depth, false)).build()).build();
    expectError("a state too deep with a NaN", p, j.session(), update(81, deepWithNaN),
        ErrorReason.ERROR_REASON_STATE_TOO_DEEP);
    Struct largeWithNaN = States.ofEncodedSize("big", tooLarge + 16).toBuilder()
        .putFields("n", Value.newBuilder().setNumberValue(Double.NaN).build()).build();
    expectError("a state too large with a NaN", p, j.session(), update(82, largeWithNaN),
        ErrorReason.ERROR_REASON_INVALID_STATE);
    expectError("a state too deep and too large", p, j.session(), update(83,
        States.ofDepthWithBlob(depth + 1, tooLarge)), ErrorReason.ERROR_REASON_STATE_TOO_DEEP);
    AnswerCases.otherFramesPrecedence(p, j);
  }
}
