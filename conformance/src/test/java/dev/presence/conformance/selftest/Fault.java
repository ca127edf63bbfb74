package dev.presence.conformance.selftest;

import dev.presence.conformance.driver.Timing;
import java.time.Duration;

/**
 * A deliberate departure from SPEC.md that {@link FaultyProxy} adds in front of a correct server, and the
 * requirement the kit must charge it to.
 */
enum Fault {
  /** Every live state goes out twice, 2 ms apart, as if nothing throttled it. */
  NO_THROTTLE("PRS-THR-2"),
  /** A live state that follows the previous one within a window is dropped: the trailing edge is lost. */
  TRAILING_UPDATE_DROPPED("PRS-THR-3"),
  /** Presence frames to a session swap places pairwise. */
  STATES_REORDERED("PRS-THR-4"),
  /** Every live event also goes to every other session of the room, whatever its targets. */
  EVENTS_LEAKED_OUTSIDE_TARGET("PRS-TGT-4"),
  /** After a client cancels its call, the null about its user is dropped. */
  NO_NULL_ON_CANCEL("PRS-END-2"),
  /** Every live null goes out twice. */
  NULL_SENT_TWICE("PRS-EVT-6"),
  /** A member_joined is followed by a null about the user, whom the session never saw. */
  SPURIOUS_NULL("PRS-EVT-5"),
  /** Every live event also goes to the sessions of every other room. */
  EVENTS_CROSS_ROOMS("PRS-TGT-5"),
  /** Unfollow is acknowledged but never reaches the server. */
  UNFOLLOW_IGNORED("PRS-FOL-4"),
  /** Snapshot states are dropped; only snapshot_complete arrives. */
  NO_SNAPSHOT("PRS-SUB-3"),
  /** When one of a user's two sessions ends, the others hear a LEFT null about the user. */
  NULL_WHEN_ONE_TAB_CLOSES("PRS-SES-4"),
  /** The relay has no liveness detection, so a peer lost without a word never leaves. */
  NO_NULL_ON_NETWORK_LOSS("PRS-LIV-1"),
  /** With verified tokens, a dev_user_id claimed in the open frame still becomes the session's identity. */
  CLAIMED_IDENTITY_TRUSTED("PRS-IDN-1"),
  /** A snapshot's presence frames are merged into one, however far past max_outbound_frame_bytes. */
  SNAPSHOT_NOT_SPLIT("PRS-TRN-7"),
  /** A call ended for FRAME_TOO_LARGE reaches the client as a bare CANCELLED. */
  FRAME_TOO_LARGE_AS_CANCELLED("PRS-TRN-6"),
  /** A live null waits for the next member_left about its user and follows it. */
  MEMBER_LEFT_BEFORE_NULL("PRS-MEM-5"),
  /** A pong waits for the next other frame of its session and follows it. */
  PONG_BEHIND_LATER_ANSWERS("PRS-LIV-7"),
  /** A new subscription's snapshot_complete goes out before its tagged snapshot. */
  SNAPSHOT_COMPLETE_FIRST("PRS-SUB-3"),
  /** A retarget's snapshot_complete goes out before its tagged nulls and states. */
  RETARGET_COMPLETE_FIRST("PRS-SUB-6"),
  /** A retarget's tagged states go out before its tagged nulls. */
  RETARGET_STATES_BEFORE_NULLS("PRS-SUB-6"),
  /** A retarget delivers again, tagged, the state of every user its old and new targets both cover. */
  RETARGET_REDELIVERS_UNCHANGED("PRS-SUB-6"),
  /** An unsubscribe's ack goes out before its tagged nulls. */
  UNSUBSCRIBE_ACK_BEFORE_NULLS("PRS-SUB-7"),
  /** A follow's ack goes out before the followed user's tagged state. */
  FOLLOW_ACK_BEFORE_STATE("PRS-FOL-3"),
  /** An unfollow's ack goes out before its tagged null. */
  UNFOLLOW_ACK_BEFORE_NULL("PRS-FOL-4"),
  /** Every follow is acknowledged twice. */
  FOLLOW_ACKED_TWICE("PRS-FOL-2"),
  /** Every snapshot_complete goes out twice. */
  SNAPSHOT_COMPLETE_TWICE("PRS-ACK-1"),
  /**
   * The snapshot_complete of a subscribe that retargets a subscription never goes out. Only the random scenarios
   * retarget, so the kit sees it as a request left unanswered.
   */
  RETARGET_LEFT_UNANSWERED("PRS-ACK-1", "got no snapshot_complete", Duration.ofSeconds(1)),
  /** Answers to requests that follow each other directly swap places pairwise. */
  ANSWERS_REORDERED("PRS-ACK-2"),
  /** A window after the live null of a clear, the state it nulled goes out again. */
  STATE_RESENT_AFTER_NULL("PRS-EVT-5"),
  /** Membership frames wait a while, and a snapshot starting meanwhile overtakes them. */
  MEMBERSHIP_INSIDE_SNAPSHOT("PRS-MEM-6"),
  /** Every session is pinged, whether or not its open declared CAPABILITY_PING. */
  PINGS_WITHOUT_CAPABILITY("PRS-LIV-4"),
  /** Each server ping is followed 10 ms later by another, whatever ping_interval_millis says. */
  PINGS_TOO_OFTEN("PRS-LIV-6"),
  /** Opened grants CAPABILITY_PING to sessions that did not declare it. */
  UNDECLARED_CAPABILITY_GRANTED("PRS-EVO-5"),
  /** Pongs carry nonce 0 instead of the nonce of the ping they answer. */
  PONG_NONCE_NOT_ECHOED("PRS-LIV-3"),
  /** Pongs are not matched to pings, so a pinged session ends with PING_TIMEOUT after answering its second ping. */
  ANSWERED_PINGS_TIMED_OUT("PRS-LIV-6"),
  /** A bearer token's sub is trusted without checking its signature or dates. */
  TOKENS_NOT_VERIFIED("PRS-IDN-2");

  private final String requirementId;
  private final String evidence;
  private final Duration requestWait;

  Fault(String requirementId) {
    this(requirementId, "", Timing.DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * @param requirementId the requirement the kit must fail
   * @param evidence what one of the kit's violations must say, or empty for anything under the requirement
   * @param requestWait how long the kit waits for an answer: a fault that leaves requests unanswered costs a full
   *     wait for each scenario it stops, shrinking included, while the relayed server answers in milliseconds
   */
  Fault(String requirementId, String evidence, Duration requestWait) {
    this.requirementId = requirementId;
    this.evidence = evidence;
    this.requestWait = requestWait;
  }

  /** Whether the fault needs a server that verifies tokens. */
  boolean needsVerifiedIdentity() {
    return this == CLAIMED_IDENTITY_TRUSTED || this == TOKENS_NOT_VERIFIED;
  }

  /** The requirement the kit must fail for this fault. */
  String requirementId() {
    return requirementId;
  }

  /** What one of the kit's violations must say; empty when any violation of the requirement will do. */
  String evidence() {
    return evidence;
  }

  /** The kit's allowances against this fault: the defaults, with this fault's wait for answers. */
  Timing timing() {
    Timing defaults = Timing.defaults();
    return new Timing(defaults.slackMillis(), defaults.spacingToleranceMillis(), requestWait);
  }
}
