package dev.presence.conformance;

import dev.presence.conformance.check.Checker;
import dev.presence.conformance.check.Checkers;
import dev.presence.conformance.check.RunAnalysis;
import dev.presence.conformance.check.Violation;
import dev.presence.conformance.directed.CaseFailure;
import dev.presence.conformance.directed.DirectedCase;
import dev.presence.conformance.directed.DirectedCases;
import dev.presence.conformance.directed.NotApplicable;
import dev.presence.conformance.directed.Probe;
import dev.presence.conformance.driver.Credentials;
import dev.presence.conformance.driver.Endpoints;
import dev.presence.conformance.driver.RunRecord;
import dev.presence.conformance.driver.ScenarioRunner;
import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.noise.NoiseJudge;
import dev.presence.conformance.noise.NoiseMonitor;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.conformance.history.Traces;
import dev.presence.conformance.scenario.Scenario;
import dev.presence.conformance.scenario.ScenarioGenerator;
import dev.presence.conformance.scenario.ScenarioShrinker;
import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.SpecDocument;
import dev.presence.conformance.transcript.Replayer;
import dev.presence.conformance.transcript.Transcript;
import dev.presence.conformance.transcript.TranscriptResult;
import dev.presence.conformance.transcript.TranscriptTarget;
import dev.presence.conformance.transcript.Transcripts;
import io.grpc.Channel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Runs the presence.v1 conformance kit against one server: directed cases, then seeded random scenarios judged by
 * the per-requirement checkers, re-running failures to tell FAIL from FLAKY and shrinking each failure to a
 * minimal scenario.
 *
 * <p>Embed it in a JVM server's build through {@link #builder(Endpoints)}, or use the command line.
 */
public final class ConformanceSuite {

  /** Random scenarios a run generates unless told otherwise. */
  public static final int DEFAULT_SCENARIOS = 20;
  /** Re-runs of a failure, to tell FAIL from FLAKY and a timing miss from the kit's own noise. */
  public static final int DEFAULT_RERUNS = 2;
  /** Scenario runs spent shrinking one failure. */
  public static final int DEFAULT_MAX_SHRINK_ATTEMPTS = 40;

  /** The smallest stall that makes a moment too noisy for a re-run after a timing miss. */
  private static final long QUIET_THRESHOLD_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2);
  private static final java.time.Duration QUIET_SPAN = java.time.Duration.ofSeconds(1);
  private static final java.time.Duration QUIET_MAX_WAIT = java.time.Duration.ofSeconds(10);

  private final Endpoints endpoints;
  private final String targetDescription;
  private final Credentials credentials;
  private final Timing timing;
  private final long seed;
  private final int scenarios;
  private final int reruns;
  private final int maxShrinkAttempts;
  private final Predicate<String> selected;
  private final Set<String> knownFailing;
  private final Set<EndKind> endKinds;
  private final Optional<Scenario> replay;
  private final PrintStream progress;
  private final SpecDocument spec;
  private final String runPrefix;
  private final java.util.function.Supplier<List<Transcript>> transcripts;

  private ConformanceSuite(Builder b) {
    this.endpoints = b.endpoints;
    this.targetDescription = b.targetDescription == null ? b.endpoints.description() : b.targetDescription;
    this.credentials = b.credentials;
    this.timing = b.timing;
    this.seed = b.seed;
    this.scenarios = b.scenarios;
    this.reruns = b.reruns;
    this.maxShrinkAttempts = b.maxShrinkAttempts;
    this.selected = b.selected;
    this.knownFailing = Set.copyOf(b.knownFailing);
    this.endKinds = Set.copyOf(b.endKinds);
    this.replay = b.replay;
    this.progress = b.progress;
    this.spec = b.spec;
    this.transcripts = b.transcripts;
    this.runPrefix = "conformance-" + Long.toHexString(System.nanoTime() & 0xFFFFFFL) + "-";
  }

  /**
   * Starts describing a run against a server at its endpoints: one or more, of either binding. Sessions take them in
   * turn, so a list that mixes bindings checks rooms that hold sessions of both.
   *
   * @param endpoints where the server under test serves presence.v1; the caller owns and closes their channels
   * @return the builder
   */
  public static Builder builder(Endpoints endpoints) {
    return new Builder(endpoints);
  }

  /**
   * Starts describing a run against the server behind one gRPC channel, whose address the kit does not know: the
   * cases that need a fault proxy are NOT-APPLICABLE.
   *
   * @param channel a channel to the server under test; the caller owns and closes it
   * @return the builder
   */
  public static Builder builder(Channel channel) {
    return new Builder(Endpoints.grpc(channel));
  }

  /**
   * Runs the kit.
   *
   * @return one result per SPEC.md requirement
   * @throws InterruptedException if interrupted
   */
  public SuiteResult run() throws InterruptedException {
    try (NoiseMonitor monitor = NoiseMonitor.started()) {
      NoiseJudge judge = new NoiseJudge(monitor);
      Map<String, RequirementResult> results = new LinkedHashMap<>();
      Map<String, List<String>> passes = new LinkedHashMap<>();
      Map<String, List<Party.Unchecked>> notChecked = new LinkedHashMap<>();
      announce();
      runDirected(results, passes, notChecked, judge);
      int ran = runScenarios(results, passes, judge);
      List<RequirementResult> ordered = new ArrayList<>();
      for (Requirement r : spec.requirements()) {
        ordered.add(results.computeIfAbsent(r.id(),
            id -> Party.SERVER.unfailed(r, selected, knownFailing, passes.get(id), notChecked.get(id))));
      }
      return new SuiteResult(targetDescription, seed, ran, ordered, replayTranscripts(judge));
    }
  }

  /**
   * Says what the run is about to do, in one line: the verdicts come as one table at the end, so the run shows no
   * row of its own per check.
   */
  private void announce() {
    if (replay.isPresent()) {
      progress.printf("replaying one scenario against %s (seed %d)%n", targetDescription, seed);
      return;
    }
    long cases = DirectedCases.all().stream().filter(c -> selected.test(c.requirementId())).count();
    boolean checkers = Checkers.all().stream().anyMatch(c -> selected.test(c.requirementId()));
    progress.printf("running %d directed cases, %d random scenarios and %d transcripts against %s (seed %d)%n",
        cases, checkers ? scenarios : 0, chosenTranscripts().size(), targetDescription, seed);
  }

  /** Transcripts claim identities with dev_user_id, so they need the development mode; a replay runs none. */
  private List<Transcript> chosenTranscripts() {
    if (replay.isPresent() || credentials.verifiedByServer()) {
      return List.of();
    }
    return transcripts.get().stream().filter(t -> t.rules().stream().anyMatch(selected)).toList();
  }

  private List<TranscriptResult> replayTranscripts(NoiseJudge judge) throws InterruptedException {
    List<TranscriptResult> results = new ArrayList<>();
    Replayer replayer = new Replayer(TranscriptTarget.fixed(endpoints), timing);
    for (Transcript t : chosenTranscripts()) {
      results.add(judged(replayer, t, replayer.replay(t), judge));
    }
    return results;
  }

  /** A transcript line that missed its time bound is judged like any timing miss: noise first, then quiet replays. */
  private TranscriptResult judged(Replayer replayer, Transcript t, TranscriptResult first, NoiseJudge judge)
      throws InterruptedException {
    if (first.timing() == null) {
      return first;
    }
    List<Attempt> attempts = new ArrayList<>(List.of(transcriptAttempt(first, judge)));
    for (int i = 0; i < reruns; i++) {
      awaitQuietIfTimed(attempts.get(0), judge);
      attempts.add(transcriptAttempt(replayer.replay(t), judge));
    }
    return switch (Judgement.of(attempts)) {
      case PASS -> first.judged(TranscriptResult.Outcome.PASS, "");
      case FAIL, FLAKY -> first.judged(TranscriptResult.Outcome.FAIL, attempts.get(0).detail());
      default -> first.judged(TranscriptResult.Outcome.INCONCLUSIVE, attempts.get(0).detail());
    };
  }

  private static Attempt transcriptAttempt(TranscriptResult r, NoiseJudge judge) {
    return r.outcome() == TranscriptResult.Outcome.FAIL
        ? Attempt.ofCase(r.detail(), Optional.ofNullable(r.timing()), r.history(), judge) : Attempt.PASSED;
  }

  private void runDirected(Map<String, RequirementResult> results, Map<String, List<String>> passes,
      Map<String, List<Party.Unchecked>> notChecked, NoiseJudge judge) throws InterruptedException {
    if (replay.isPresent()) {
      return;
    }
    int index = 0;
    for (DirectedCase c : DirectedCases.all()) {
      index++;
      if (!selected.test(c.requirementId())) {
        continue;
      }
      Requirement r = spec.requirement(c.requirementId()).orElseThrow();
      Outcome first = runCase(c, index, 0);
      if (first.notApplicable != null) {
        notChecked.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(Party.Unchecked.of("", first.notApplicable));
        continue;
      }
      List<Attempt> attempts = new ArrayList<>(List.of(first.attempt(judge)));
      if (first.failure == null) {
        passes.computeIfAbsent(r.id(), k -> new ArrayList<>()).add("directed case passed");
        continue;
      }
      for (int i = 1; i <= reruns; i++) {
        awaitQuietIfTimed(attempts.get(0), judge);
        attempts.add(runCase(c, index, i).attempt(judge));
      }
      Verdict verdict = Judgement.of(attempts);
      if (verdict == Verdict.PASS) {
        passes.computeIfAbsent(r.id(), k -> new ArrayList<>()).add("directed case passed at a quiet moment after "
            + "a miss the kit's own noise explained");
        continue;
      }
      int failed = (int) attempts.stream().filter(Attempt::failed).count();
      FailureCase evidence = new FailureCase(0, null, List.of(attempts.get(0).detail()), failed, attempts.size(),
          first.trace);
      results.put(r.id(), new RequirementResult(r, verdict, attempts.get(0).detail(), Optional.of(evidence),
          knownFailing.contains(r.id())));
    }
  }

  /** A re-run after a timing miss waits for a quiet moment, so that it measures the server, not the machine. */
  static void awaitQuietIfTimed(Attempt first, NoiseJudge judge) throws InterruptedException {
    if (first.kind() == Attempt.Kind.TIMING || first.kind() == Attempt.Kind.EXCUSED) {
      judge.monitor().awaitQuiet(Math.max(QUIET_THRESHOLD_NANOS, first.smallestMissNanos() / 2), QUIET_SPAN,
          QUIET_MAX_WAIT);
    }
  }

  private Outcome runCase(DirectedCase c, int index, int attempt) throws InterruptedException {
    try (Probe probe = new Probe(endpoints, index, credentials, timing, runPrefix + "d" + index + "-" + attempt)) {
      try {
        c.body().run(probe);
        return new Outcome(null, null, "", Optional.empty(), List.of());
      } catch (CaseFailure f) {
        return new Outcome(f.getMessage(), null, probe.trace(), f.timingMiss(), probe.history().snapshot());
      } catch (NotApplicable n) {
        return new Outcome(null, n, "", Optional.empty(), List.of());
      } catch (RuntimeException e) {
        return new Outcome("the case could not run: " + e, null, probe.trace(), Optional.empty(), List.of());
      }
    }
  }

  private record Outcome(String failure, NotApplicable notApplicable, String trace, Optional<TimingMiss> timing,
      List<Observation> history) {
    Attempt attempt(NoiseJudge judge) {
      return Attempt.ofCase(failure, timing, history, judge);
    }
  }


  private int runScenarios(Map<String, RequirementResult> results, Map<String, List<String>> passes,
      NoiseJudge judge) throws InterruptedException {
    List<Checker> checkers = Checkers.all().stream().filter(c -> selected.test(c.requirementId())).toList();
    if (checkers.isEmpty()) {
      return 0;
    }
    ScenarioRunner runner = new ScenarioRunner(endpoints, credentials, timing, runPrefix, judge.monitor());
    Set<EndKind> kinds = new java.util.HashSet<>(endKinds);
    if (!endpoints.addressed()) {
      kinds.removeIf(EndKind::networkFault);
    }
    ScenarioGenerator generator = ScenarioGenerator.builder().endKinds(kinds).build();
    ScenarioFailureJudge<Scenario, RunRecord> failures = new ScenarioFailureJudge<>(runner::run,
        (record, id) -> {
          RunAnalysis analysis = new RunAnalysis(record);
          List<Violation> found = new ArrayList<>();
          checkers.stream().filter(c -> c.requirementId().equals(id)).forEach(c -> found.addAll(c.check(analysis)));
          return found;
        }, RunRecord::history, record -> Traces.of(record.history()), new ScenarioShrinker(), judge, reruns,
        maxShrinkAttempts, knownFailing);
    SplittableRandom seeds = new SplittableRandom(seed);
    int total = replay.isPresent() ? 1 : scenarios;
    for (int i = 0; i < total; i++) {
      long scenarioSeed = replay.isPresent() ? seed : seeds.nextLong();
      Scenario scenario = replay.orElseGet(() -> generator.generate(new SplittableRandom(scenarioSeed)));
      RunRecord record = runner.run(scenario);
      RunAnalysis analysis = new RunAnalysis(record);
      // Checkers judge the steps before a stop, and PRS-ACK-1 an answer that never came; other stops are said here.
      if (record.abortedAt() >= 0) {
        progress.printf("scenario %d/%d (seed %d) stopped at step %d: %s%n", i + 1, total, scenarioSeed,
            record.abortedAt(), record.abortReason());
      }
      for (Checker checker : checkers) {
        String id = checker.requirementId();
        if (results.containsKey(id) && ScenarioFailureJudge.outranksInconclusive(results.get(id).verdict())) {
          continue;
        }
        var first = failures.evidence(scenario, record, checker.check(analysis));
        Optional<RequirementResult> judged = first.attempt().failed()
            ? failures.judge(spec.requirement(id).orElseThrow(), scenarioSeed, first)
            : Optional.empty();
        if (judged.isEmpty()) {
          passes.computeIfAbsent(id, k -> new ArrayList<>());
          if (passes.get(id).isEmpty()) {
            passes.get(id).add("held in every scenario");
          }
          continue;
        }
        results.put(id, judged.get());
      }
    }
    return total;
  }

  /** Describes a run; every setting has a default except the endpoints. */
  public static final class Builder extends SuiteBuilder<Builder> {
    private final Endpoints endpoints;
    private String targetDescription;
    private Credentials credentials = Credentials.devIdentity("conformance-");
    private Set<EndKind> endKinds =
        Set.of(EndKind.LEAVE_FRAME, EndKind.HALF_CLOSE, EndKind.CANCEL, EndKind.NETWORK_RESET);
    private Optional<Scenario> replay = Optional.empty();
    private SpecDocument spec = SpecDocument.bundled();
    private java.util.function.Supplier<List<Transcript>> transcripts = Transcripts::bundled;

    private Builder(Endpoints endpoints) {
      super(DEFAULT_SCENARIOS, DEFAULT_MAX_SHRINK_ATTEMPTS);
      this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    }

    /** Names the target in reports; by default the endpoints, such as {@code localhost:50051}. */
    public Builder targetDescription(String targetDescription) {
      this.targetDescription = Objects.requireNonNull(targetDescription);
      return this;
    }

    /** Sets how the kit authenticates its users; by default the insecure development identity. */
    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials);
      return this;
    }

    /**
     * Sets the ways scenarios end sessions. Network faults apply only when the kit knows the address of every
     * endpoint; by default
     * scenarios use every way but {@link EndKind#NETWORK_BLACKHOLE}, which costs a whole leave-detection bound.
     */
    public Builder endKinds(Set<EndKind> endKinds) {
      this.endKinds = Set.copyOf(endKinds);
      return this;
    }

    /** Replays one scenario, as written to a replay file, instead of generating any. */
    public Builder replay(Scenario scenario) {
      this.replay = Optional.of(scenario);
      return this;
    }

    /**
     * Sets the transcripts to replay after the requirements; by default the ones bundled in the kit. They run only
     * with development identities (the default credentials).
     */
    public Builder transcripts(List<Transcript> transcripts) {
      List<Transcript> copy = List.copyOf(transcripts);
      this.transcripts = () -> copy;
      return this;
    }


    /** Validates the description and returns the suite. */
    public ConformanceSuite build() {
      if (endKinds.isEmpty()) {
        throw new IllegalArgumentException("at least one end kind is needed");
      }
      return new ConformanceSuite(this);
    }
  }
}
