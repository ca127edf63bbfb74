package dev.presence.conformance.client.server;

import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Limits;
import io.grpc.Status;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How the kit's server answers when a test does not intervene. The defaults make a correct SDK work; each knob can
 * be turned at any moment from any thread and applies from the next frame the server handles.
 */
public final class Autopilot {

  private volatile Limits limits = defaultLimits();
  private volatile Function<Optional<String>, Optional<String>> userFor;
  private volatile String defaultUser = "sdk-user";
  private volatile Set<Capability> capabilities;
  private volatile long drainingDeadlineMillis = -1;
  private volatile boolean holdSnapshotComplete;
  private volatile boolean liveWaitsForHeldSnapshots;
  private volatile boolean answerFollows = true;
  private volatile boolean answerPings = true;
  private volatile Duration pingEvery;
  private volatile boolean unknownFieldsEverywhere;
  private volatile Duration snapshotDelay = Duration.ZERO;
  private volatile KitRoom room;

  private int refusalsLeft;
  private Refusal refusal;

  /** A scripted refusal of an open: the status to end the call with, and an ErrorInfo reason when not null. */
  record Refusal(Status.Code code, String reasonName, String message, Map<String, String> metadata) {}

  /** Creates an autopilot with the defaults. */
  public Autopilot() {}

  /**
   * Returns the limits the autopilot advertises unless told otherwise: within PRS-LIM-2 and PRS-LIM-4, with a short
   * leave detection and frequent pings so that liveness tests run in seconds.
   */
  public static Limits defaultLimits() {
    return Limits.newBuilder()
        .setThrottleWindowMillis(50)
        .setMaxStateBytes(65536)
        .setMaxSubscriptions(16)
        .setMaxFollows(64)
        .setLeaveDetectionMillis(3000)
        .setMaxInboundFrameBytes(262144)
        .setMaxSessionsPerUser(8)
        .setMaxSessionsPerRoom(1000)
        .setIdleTimeoutMillis(0)
        .setPingIntervalMillis(1000)
        .setMaxStateDepth(32)
        .setMaxOutboundFrameBytes(1048576)
        .build();
  }

  /** Returns the limits advertised in the next opened. */
  public Limits limits() {
    return limits;
  }

  /**
   * Sets the limits advertised in later opened frames and applied by the autopilot's checks. They are sent as given,
   * even outside the bounds of PRS-LIM-2, so that a client's handling of odd limits can be tested.
   *
   * @param limits the limits
   * @return this
   */
  public Autopilot limits(Limits limits) {
    this.limits = Objects.requireNonNull(limits);
    return this;
  }

  /**
   * Sets how the {@code authorization} header maps to the session's user: the function returns the user id, or
   * empty to refuse the open with UNAUTHENTICATED (PRS-IDN-2).
   *
   * @param mapping from the header value, empty when absent, to the user id or a refusal
   * @return this
   */
  public Autopilot userFor(Function<Optional<String>, Optional<String>> mapping) {
    this.userFor = mapping;
    return this;
  }

  /**
   * Sets the user every session acts for when no {@link #userFor} mapping is set; "sdk-user" by default.
   *
   * @param userId the user id
   * @return this
   */
  public Autopilot defaultUser(String userId) {
    this.defaultUser = Objects.requireNonNull(userId);
    return this;
  }

  /**
   * Returns the user a session with this authorization acts for, or empty for a refusal.
   *
   * @param authorization the {@code authorization} header, empty when absent
   */
  public Optional<String> userOf(Optional<String> authorization) {
    Function<Optional<String>, Optional<String>> mapping = userFor;
    return mapping == null ? Optional.of(defaultUser) : mapping.apply(authorization);
  }

  /**
   * Sets the capabilities advertised in opened, whatever the client declared; {@code null} goes back to the default,
   * which advertises every declared capability the kit knows (CAPABILITY_PING, CAPABILITY_DRAIN).
   *
   * @param advertised the capabilities to advertise, possibly ones the client did not declare (PRS-EVO-5 misbehaviour)
   * @return this
   */
  public Autopilot capabilities(Set<Capability> advertised) {
    this.capabilities = advertised == null ? null : Set.copyOf(advertised);
    return this;
  }

  /**
   * Acts as a server that is draining already (PRS-DRN-4): every session opened from now on with CAPABILITY_DRAIN
   * granted gets {@code draining} as its next frame after {@code opened}.
   *
   * @param deadlineMillis the deadline to announce, or a negative value to stop
   * @return this
   */
  public Autopilot drainingFromOpen(long deadlineMillis) {
    this.drainingDeadlineMillis = deadlineMillis;
    return this;
  }

  /** Returns the deadline to announce right after opened, or a negative value when the kit is not draining. */
  long drainingDeadlineMillis() {
    return drainingDeadlineMillis;
  }

  /** Returns the capabilities to advertise to a client that declared these. */
  Set<Capability> capabilitiesFor(List<Capability> declared) {
    Set<Capability> fixed = capabilities;
    if (fixed != null) {
      return fixed;
    }
    Set<Capability> known = EnumSet.noneOf(Capability.class);
    for (Capability c : List.of(Capability.CAPABILITY_PING, Capability.CAPABILITY_DRAIN)) {
      if (declared.contains(c)) {
        known.add(c);
      }
    }
    return known;
  }

  /**
   * Refuses the next {@code count} opens, right after their first frame arrives, with this status.
   *
   * @param count how many calls to refuse; -1 refuses until {@link #acceptOpens()}
   * @param code the gRPC code
   * @param reason the ErrorInfo reason, or null for a bare status as a proxy would send
   * @return this
   */
  public Autopilot refuseOpens(int count, Status.Code code, ErrorReason reason) {
    return refuseOpens(count, code, reason, Map.of());
  }

  /**
   * Refuses the next {@code count} opens with this status and ErrorInfo metadata, such as
   * {@code supported_versions} or keys a client cannot know (PRS-ERR-7).
   *
   * @param count how many calls to refuse; -1 refuses until {@link #acceptOpens()}
   * @param code the gRPC code
   * @param reason the ErrorInfo reason, or null for a bare status
   * @param metadata the ErrorInfo metadata; ignored without a reason
   * @return this
   */
  public Autopilot refuseOpens(int count, Status.Code code, ErrorReason reason, Map<String, String> metadata) {
    String name = reason == null ? null : ErrorDetails.reasonName(reason);
    return refuse(count, new Refusal(code, name, "refused by the conformance kit", Map.copyOf(metadata)));
  }

  /**
   * Refuses the next {@code count} opens with an ErrorInfo reason no client can know yet (PRS-ERR-5).
   *
   * @param count how many calls to refuse; -1 refuses until {@link #acceptOpens()}
   * @param code the gRPC code, by which the client must decide
   * @param reasonName the reason, for example "FUTURE_REASON"
   * @return this
   */
  public Autopilot refuseOpensWithUnknownReason(int count, Status.Code code, String reasonName) {
    return refuse(count, new Refusal(code, reasonName, "refused by the conformance kit", Map.of()));
  }

  /**
   * Accepts opens again after {@link #refuseOpens}.
   *
   * @return this
   */
  public synchronized Autopilot acceptOpens() {
    refusalsLeft = 0;
    refusal = null;
    return this;
  }

  private synchronized Autopilot refuse(int count, Refusal r) {
    refusalsLeft = count;
    refusal = r;
    return this;
  }

  /** Takes one scripted refusal for a new call, if any is left. */
  synchronized Optional<Refusal> takeRefusal() {
    if (refusal == null || refusalsLeft == 0) {
      return Optional.empty();
    }
    if (refusalsLeft > 0) {
      refusalsLeft--;
    }
    return Optional.of(refusal);
  }

  /**
   * While true, subscribe answers send the snapshot but hold back snapshot_complete until
   * {@link #releaseSnapshotCompletes()}. Live events keep flowing to the session meanwhile, routed by its union scope:
   * for a non-empty snapshot that departs from PRS-SUB-4 on purpose, so that a client's routing by confirmed target
   * (PRS-EVT-3) can be tested. Turning it off releases nothing.
   *
   * @param hold whether to hold
   * @return this
   */
  public Autopilot holdSnapshotComplete(boolean hold) {
    this.holdSnapshotComplete = hold;
    return this;
  }

  /** Returns whether snapshot_complete frames are being held. */
  public boolean holdSnapshotComplete() {
    return holdSnapshotComplete;
  }

  /**
   * While true, a session's snapshot_complete held from now on keeps the room's live events and membership changes
   * for that session behind it, as PRS-SUB-4 requires of a server, instead of letting them flow. Random client
   * scenarios hold snapshots this way: their model of a correct client assumes a server that keeps PRS-SUB-4, and a
   * live null sent inside a held snapshot would leave a correct client's view on that user stale for good.
   *
   * @param wait whether live events wait behind held completes
   * @return this
   */
  public Autopilot liveWaitsForHeldSnapshots(boolean wait) {
    this.liveWaitsForHeldSnapshots = wait;
    return this;
  }

  /** Returns whether live events wait behind snapshot_complete frames held from now on. */
  public boolean liveWaitsForHeldSnapshots() {
    return liveWaitsForHeldSnapshots;
  }

  /** Sends every held snapshot_complete, in the order the subscribes came, to calls still live. */
  public void releaseSnapshotCompletes() {
    KitRoom r = room;
    if (r != null) {
      r.releaseHeld();
    }
  }

  /**
   * Whether follow and unfollow are answered (applied and acknowledged) by the autopilot; when false they are only
   * recorded, and the test answers with {@link KitCall#answer(Inbound)} or raw frames.
   *
   * @param answer whether to answer
   * @return this
   */
  public Autopilot answerFollows(boolean answer) {
    this.answerFollows = answer;
    return this;
  }

  /** Returns whether follows are answered automatically. */
  public boolean answerFollows() {
    return answerFollows;
  }

  /**
   * Whether client pings get a pong at once (PRS-LIV-3).
   *
   * @param answer whether to answer
   * @return this
   */
  public Autopilot answerPings(boolean answer) {
    this.answerPings = answer;
    return this;
  }

  /** Returns whether client pings are answered. */
  public boolean answerPings() {
    return answerPings;
  }

  /**
   * Sends server pings at this interval to every opened session that declared CAPABILITY_PING (PRS-LIV-4);
   * {@code null} stops them.
   *
   * @param interval the interval, or null
   * @return this
   */
  public Autopilot pingEvery(Duration interval) {
    this.pingEvery = interval;
    return this;
  }

  /** Returns the server ping interval, empty when the server does not ping. */
  public Optional<Duration> pingEvery() {
    return Optional.ofNullable(pingEvery);
  }

  /**
   * Appends unknown fields to every presence.v1 message in every frame sent from now on (PRS-EVO-2).
   *
   * @param on whether to add them
   * @return this
   */
  public Autopilot unknownFieldsEverywhere(boolean on) {
    this.unknownFieldsEverywhere = on;
    return this;
  }

  /** Returns whether unknown fields are added to every frame. */
  public boolean unknownFieldsEverywhere() {
    return unknownFieldsEverywhere;
  }

  /**
   * Delays the processing of each subscribe by this long; later frames of the same call wait behind it, as
   * PRS-TRN-2 requires.
   *
   * @param delay the delay, zero for none
   * @return this
   */
  public Autopilot snapshotDelay(Duration delay) {
    this.snapshotDelay = Objects.requireNonNull(delay);
    return this;
  }

  /** Returns the delay before each subscribe is processed. */
  public Duration snapshotDelay() {
    return snapshotDelay;
  }

  void bind(KitRoom room) {
    this.room = room;
  }
}
