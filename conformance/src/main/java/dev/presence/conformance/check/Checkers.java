package dev.presence.conformance.check;

import dev.presence.conformance.check.SettledViewChecker.Cause;
import java.util.List;

/** The catalogue of scenario checkers: every requirement the random scenarios judge. */
public final class Checkers {

  private Checkers() {}

  /**
   * Returns the checkers, those of settled views and single frames in SPEC.md order, then those of the ordered
   * exchanges of requests and answers in SPEC.md order.
   */
  public static List<Checker> all() {
    return List.of(
        OpenedChecker.contents(),
        FrameRulesChecker.openedFirst(),
        new SettledViewChecker("PRS-SES-3", Cause.OTHER_SESSION_ENDED),
        new TabCloseChecker(),
        NullReasonChecker.userStillPresent(),
        new NoInventionChecker(),
        SpacingChecker.states(),
        new SettledViewChecker("PRS-THR-3", Cause.UPDATE),
        new OrderChecker(),
        new UnexpectedEndChecker(),
        SpacingChecker.nulls(),
        new SettledViewChecker("PRS-SUB-3", Cause.NEW_SUBSCRIPTION),
        new SnapshotGatingChecker(),
        new SettledViewChecker("PRS-SUB-6", Cause.TARGET_CHANGE),
        ScopeChecker.filtering(),
        ScopeChecker.roomIsolation(),
        FrameRulesChecker.noEmptyBatch(),
        FrameRulesChecker.nullReasonOnNullsOnly(),
        NullChecker.spurious(),
        NullChecker.duplicate(),
        new SettledViewChecker("PRS-EVT-6", Cause.CLEAR),
        new StaleSubscriptionChecker(),
        new SettledViewChecker("PRS-FOL-3", Cause.FOLLOW),
        new SettledViewChecker("PRS-FOL-4", Cause.UNFOLLOW),
        MembershipChecker.joinAnnounced(),
        MembershipChecker.memberBeforePresence(),
        OpenedChecker.limitBounds(),
        OpenedChecker.draftTwoLimits(),
        new SettledViewChecker("PRS-END-2", Cause.LAST_SESSION_ENDED),
        NullReasonChecker.lastSessionEnded(),
        AnswerOrderChecker.newSubscription(),
        AnswerOrderChecker.retarget(),
        AnswerOrderChecker.unsubscribe(),
        new ResurrectionChecker(),
        AnswerChecker.followsOnce(),
        AnswerOrderChecker.follow(),
        AnswerOrderChecker.unfollow(),
        new SnapshotMembershipChecker(),
        AnswerChecker.kinds(),
        AnswerChecker.order(),
        PingChecker.echoesNonce(),
        PingChecker.onlyWhenDeclared(),
        PingChecker.paced(),
        new CapabilityChecker(),
        new SessionEndChecker());
  }
}
