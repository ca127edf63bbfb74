package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.conformance.scenario.Step;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Membership as sessions see it: PRS-MEM-1 (everyone already in the room hears of a user's first session) or
 * PRS-MEM-3 (no presence about a user before that user is a member in the session's eyes).
 */
public final class MembershipChecker implements Checker {

  private final boolean joinAnnounced;

  private MembershipChecker(boolean joinAnnounced) {
    this.joinAnnounced = joinAnnounced;
  }

  /** Returns the PRS-MEM-1 checker. */
  public static MembershipChecker joinAnnounced() {
    return new MembershipChecker(true);
  }

  /** Returns the PRS-MEM-3 checker. */
  public static MembershipChecker memberBeforePresence() {
    return new MembershipChecker(false);
  }

  @Override
  public String requirementId() {
    return joinAnnounced ? "PRS-MEM-1" : "PRS-MEM-3";
  }

  @Override
  public List<String> clauses() {
    return joinAnnounced
        ? List.of("When a user's first live session in a room opens, the server MUST send member_joined with that user "
            + "to every other opened session of the room.")
        : List.of("A session MUST receive member_joined for a user before any presence event about that user, unless "
            + "the user was in Opened.members.");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    return joinAnnounced ? announcements(run) : presenceOfNonMembers(run);
  }

  private List<Violation> presenceOfNonMembers(RunAnalysis run) {
    Map<String, Set<String>> members = new HashMap<>();
    List<Violation> violations = new ArrayList<>();
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      if (!(history.get(i) instanceof Observation.Received r)) {
        continue;
      }
      Set<String> known = members.computeIfAbsent(r.session(), k -> new HashSet<>());
      switch (r.frame().getFrameCase()) {
        case OPENED -> r.frame().getOpened().getMembersList().forEach(m -> known.add(m.getUserId()));
        case MEMBER_JOINED -> known.add(r.frame().getMemberJoined().getUser().getUserId());
        case MEMBER_LEFT -> known.remove(r.frame().getMemberLeft().getUserId());
        case PRESENCE -> {
          for (PresenceEvent e : r.frame().getPresence().getEventsList()) {
            if (!known.contains(e.getUserId())) {
              violations.add(new Violation(requirementId(), run.stepAt(i), String.format(
                  "%s received presence about %s, who is not a member in its view",
                  r.session(), run.scenarioUser(e.getUserId()))));
            }
          }
        }
        default -> {}
      }
    }
    return violations;
  }

  private List<Violation> announcements(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    List<Step> steps = run.steps();
    for (int k = 0; k < steps.size(); k++) {
      if (!(steps.get(k) instanceof Step.Join join)
          || run.liveSessionsAfter(k - 1, join.user(), join.room()) > 0) {
        continue;
      }
      for (int j = 0; j < k; j++) {
        if (steps.get(j) instanceof Step.Join other && other.room().equals(join.room())
            && run.liveSessionsAfter(k, run.userOf(other.session()), join.room()) > 0
            && stillOpen(run, k, other.session()) && !heard(run, k, other.session(), join.user())) {
          violations.add(new Violation(requirementId(), k, String.format(
              "%s never received member_joined for %s", other.session(), join.user())));
        }
      }
    }
    return violations;
  }

  private static boolean stillOpen(RunAnalysis run, int k, String session) {
    for (int j = 0; j <= k; j++) {
      if (run.steps().get(j) instanceof Step.End end && end.session().equals(session)) {
        return false;
      }
    }
    return true;
  }

  private static boolean heard(RunAnalysis run, int k, String session, String user) {
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      if (run.stepAt(i) >= k && history.get(i) instanceof Observation.Received r && r.session().equals(session)
          && r.frame().hasMemberJoined()) {
        User joined = r.frame().getMemberJoined().getUser();
        if (run.scenarioUser(joined.getUserId()).equals(user)) {
          return true;
        }
      }
    }
    return false;
  }
}
