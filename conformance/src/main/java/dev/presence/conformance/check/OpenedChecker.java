package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.Opened;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code opened} frame: PRS-OPN-4 (its contents), PRS-LIM-2 (advertised limits within their bounds) or
 * PRS-LIM-4 (the limits Draft 2 added are set and within theirs).
 */
public final class OpenedChecker extends QuotedChecker {

  private static final long MAX_OUTBOUND_CEILING = 4_194_304;

  private final java.util.function.BiFunction<Opened, Set<String>, List<String>> problems;

  private OpenedChecker(String requirementId, List<String> clauses,
      java.util.function.BiFunction<Opened, Set<String>, List<String>> p) {
    super(requirementId, clauses);
    this.problems = p;
  }

  /** Returns the PRS-OPN-4 checker. */
  public static OpenedChecker contents() {
    return new OpenedChecker("PRS-OPN-4", List.of("a session_id unique among the server's live sessions",
        "the protocol_version it will speak", "this session's user included"), OpenedChecker::contentProblems);
  }

  /** Returns the PRS-LIM-2 checker. */
  public static OpenedChecker limitBounds() {
    return new OpenedChecker("PRS-LIM-2", List.of("Advertised limits MUST respect these bounds: throttle_window_millis "
        + "16 to 1000 (default 50); max_state_bytes at least 1024 (default 8192); max_subscriptions at least 4 "
        + "(default 16); max_follows at least 16 (default 256); max_inbound_frame_bytes at least max_state_bytes + "
        + "1024 (default 65536); max_sessions_per_user at least 1 (default 16); max_sessions_per_room at least 2; "
        + "leave_detection_millis at most 10000 (default 10000)."),
        (opened, ids) -> limitProblems(opened.getLimits()));
  }

  /** Returns the PRS-LIM-4 checker. */
  public static OpenedChecker draftTwoLimits() {
    return new OpenedChecker("PRS-LIM-4", List.of("A server MUST set max_state_depth, from 8 to 32 (default 32), and "
        + "max_outbound_frame_bytes, at least max_state_bytes + 68 \u00D7 max_subscriptions + 1024 and at least "
        + "65536, at most 4194304 (default 262144)."), (opened, ids) -> draftTwoLimitProblems(opened.getLimits()));
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    Map<String, String> surelyLive = new HashMap<>();
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      Observation o = history.get(i);
      if (o instanceof Observation.Received r && r.frame().hasOpened()) {
        Opened opened = r.frame().getOpened();
        Set<String> liveIds = new HashSet<>(surelyLive.values());
        surelyLive.put(r.session(), opened.getSessionId());
        for (String problem : problems.apply(opened, liveIds)) {
          violations.add(new Violation(requirementId(), run.stepAt(i), r.session() + ": " + problem));
        }
      } else if (o instanceof Observation.Ended e) {
        surelyLive.remove(e.session());
      } else if (o instanceof Observation.KitEnded k) {
        // Once the kit has ended a session the server may retire it at any moment and reuse its id legitimately.
        surelyLive.remove(k.session());
      }
    }
    return violations;
  }

  private static List<String> contentProblems(Opened opened, Set<String> liveSessionIds) {
    List<String> problems = new ArrayList<>();
    if (opened.getSessionId().isEmpty()) {
      problems.add("session_id is empty");
    } else if (liveSessionIds.contains(opened.getSessionId())) {
      problems.add("session_id '" + opened.getSessionId() + "' is already held by a live session");
    }
    if (opened.getSelf().getUserId().isEmpty()) {
      problems.add("self.user_id is empty");
    }
    if (opened.getProtocolVersion() != 1) {
      problems.add("protocol_version is " + opened.getProtocolVersion() + " for an open asking 1");
    }
    if (!opened.hasLimits()) {
      problems.add("limits are missing");
    }
    if (opened.getMembersList().stream().noneMatch(m -> m.getUserId().equals(opened.getSelf().getUserId()))) {
      problems.add("members do not include the session's own user");
    }
    return problems;
  }

  private static List<String> limitProblems(Limits l) {
    List<String> problems = new ArrayList<>();
    bound(problems, "throttle_window_millis", l.getThrottleWindowMillis(), 16, 1000);
    bound(problems, "max_state_bytes", l.getMaxStateBytes(), 1024, Integer.MAX_VALUE);
    bound(problems, "max_subscriptions", l.getMaxSubscriptions(), 4, Integer.MAX_VALUE);
    bound(problems, "max_follows", l.getMaxFollows(), 16, Integer.MAX_VALUE);
    bound(problems, "max_inbound_frame_bytes", l.getMaxInboundFrameBytes(),
        Integer.toUnsignedLong(l.getMaxStateBytes()) + 1024, Integer.MAX_VALUE);
    bound(problems, "max_sessions_per_user", l.getMaxSessionsPerUser(), 1, Integer.MAX_VALUE);
    bound(problems, "max_sessions_per_room", l.getMaxSessionsPerRoom(), 2, Integer.MAX_VALUE);
    bound(problems, "leave_detection_millis", l.getLeaveDetectionMillis(), 1, 10_000);
    return problems;
  }

  private static List<String> draftTwoLimitProblems(Limits l) {
    List<String> problems = new ArrayList<>();
    bound(problems, "max_state_depth", l.getMaxStateDepth(), 8, 32);
    long floor = Math.max(65_536, Integer.toUnsignedLong(l.getMaxStateBytes())
        + 68 * Integer.toUnsignedLong(l.getMaxSubscriptions()) + 1024);
    bound(problems, "max_outbound_frame_bytes", l.getMaxOutboundFrameBytes(), floor, MAX_OUTBOUND_CEILING);
    return problems;
  }

  private static void bound(List<String> problems, String name, int wireValue, long min, long max) {
    long value = Integer.toUnsignedLong(wireValue);
    if (value < min || value > max) {
      problems.add(name + " = " + value + " is outside [" + min + ", " + max + "]");
    }
  }
}
