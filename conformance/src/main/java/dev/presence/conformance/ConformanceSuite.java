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
import dev.presence.conformance.driver.ChannelFactory;
import dev.presence.conformance.driver.Credentials;
import dev.presence.conformance.driver.NetworkAccess;
import dev.presence.conformance.driver.RunRecord;
import dev.presence.conformance.driver.ScenarioRunner;
import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.Traces;
import dev.presence.conformance.property.Minimizer;
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
 * <p>Embed it in a JVM server's build through {@link #builder(Channel)}, or use the command line.
 */
public final class ConformanceSuite {

  private final Channel channel;
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
  private final NetworkAccess network;
  private final java.util.function.Supplier<List<Transcript>> transcripts;

  private ConformanceSuite(Builder b) {
    this.channel = b.channel;
    this.targetDescription = b.targetDescription;
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
    this.network = b.network;
    this.transcripts = b.transcripts;
    this.runPrefix = "conformance-" + Long.toHexString(System.nanoTime() & 0xFFFFFFL) + "-";
  }

  /**
   * Starts describing a run against the server behind a channel.
   *
   * @param channel a channel to the server under test; the caller owns and closes it
   * @return the builder
   */
  public static Builder builder(Channel channel) {
    return new Builder(channel);
  }

  /**
   * Runs the kit.
   *
   * @return one result per SPEC.md requirement
   * @throws InterruptedException if interrupted
   */
  public SuiteResult run() throws InterruptedException {
    Map<String, RequirementResult> results = new LinkedHashMap<>();
    Map<String, List<String>> passes = new LinkedHashMap<>();
    runDirected(results, passes);
    int ran = runScenarios(results, passes);
    List<RequirementResult> ordered = new ArrayList<>();
    for (Requirement r : spec.requirements()) {
      ordered.add(results.computeIfAbsent(r.id(), id -> unfailed(r, passes.get(id))));
    }
    return new SuiteResult(targetDescription, seed, ran, ordered, replayTranscripts());
  }

  /** Transcripts claim identities with dev_user_id, so they need the development mode; a replay runs none. */
  private List<TranscriptResult> replayTranscripts() throws InterruptedException {
    if (replay.isPresent() || credentials.verifiedByServer()) {
      return List.of();
    }
    List<Transcript> chosen = transcripts.get().stream()
        .filter(t -> t.rules().stream().anyMatch(selected)).toList();
    List<TranscriptResult> results = new ArrayList<>();
    Replayer replayer = new Replayer(TranscriptTarget.fixed(channel, network), timing);
    for (Transcript t : chosen) {
      TranscriptResult r = replayer.replay(t);
      progress.printf("  transcript %-34s %s%n", t.name(), r.outcome());
      results.add(r);
    }
    return results;
  }

  private RequirementResult unfailed(Requirement r, List<String> evidence) {
    boolean known = knownFailing.contains(r.id());
    if (r.level() == Requirement.Level.WITHDRAWN) {
      return new RequirementResult(r, Verdict.NOT_APPLICABLE, "withdrawn", Optional.empty(), known);
    }
    if (!r.bindsServer()) {
      return new RequirementResult(r, Verdict.NOT_APPLICABLE, "binds clients only", Optional.empty(), known);
    }
    if (!selected.test(r.id())) {
      return new RequirementResult(r, Verdict.SKIPPED, "not selected", Optional.empty(), known);
    }
    Optional<String> exempt = Coverage.exemption(r.id());
    if (exempt.isPresent()) {
      return new RequirementResult(r, Verdict.SKIPPED, "exempt: " + exempt.get(), Optional.empty(), known);
    }
    if (evidence == null || evidence.isEmpty()) {
      return new RequirementResult(r, Verdict.SKIPPED, "not exercised by this run", Optional.empty(), known);
    }
    return new RequirementResult(r, Verdict.PASS, String.join("; ", evidence), Optional.empty(), known);
  }

  private void runDirected(Map<String, RequirementResult> results, Map<String, List<String>> passes)
      throws InterruptedException {
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
      progress.printf("  %-11s %-6s %s%n", c.requirementId(), first.failure == null ? "ok" : "FAIL",
          first.failure == null ? "" : first.failure);
      if (first.notApplicable != null) {
        results.put(r.id(), new RequirementResult(r, Verdict.NOT_APPLICABLE, first.notApplicable, Optional.empty(),
            knownFailing.contains(r.id())));
        continue;
      }
      if (first.failure == null) {
        passes.computeIfAbsent(r.id(), k -> new ArrayList<>()).add("directed case passed");
        continue;
      }
      int failed = 1;
      for (int i = 1; i <= reruns; i++) {
        if (runCase(c, index, i).failure != null) {
          failed++;
        }
      }
      Verdict verdict = failed == reruns + 1 ? Verdict.FAIL : Verdict.FLAKY;
      FailureCase evidence = new FailureCase(0, null, List.of(first.failure), failed, reruns + 1, first.trace);
      results.put(r.id(), new RequirementResult(r, verdict, first.failure, Optional.of(evidence),
          knownFailing.contains(r.id())));
    }
  }

  private Outcome runCase(DirectedCase c, int index, int attempt) throws InterruptedException {
    try (Probe probe = new Probe(channel, credentials, timing, runPrefix + "d" + index + "-" + attempt, network)) {
      try {
        c.body().run(probe);
        return new Outcome(null, null, "");
      } catch (CaseFailure f) {
        return new Outcome(f.getMessage(), null, probe.trace());
      } catch (NotApplicable n) {
        return new Outcome(null, n.getMessage(), "");
      } catch (RuntimeException e) {
        return new Outcome("the case could not run: " + e, null, probe.trace());
      }
    }
  }

  private record Outcome(String failure, String notApplicable, String trace) {}

  private int runScenarios(Map<String, RequirementResult> results, Map<String, List<String>> passes)
      throws InterruptedException {
    List<Checker> checkers = Checkers.all().stream().filter(c -> selected.test(c.requirementId())).toList();
    if (checkers.isEmpty()) {
      return 0;
    }
    ScenarioRunner runner = new ScenarioRunner(channel, credentials, timing, runPrefix, network);
    Set<EndKind> kinds = new java.util.HashSet<>(endKinds);
    if (network == null) {
      kinds.removeIf(EndKind::networkFault);
    }
    ScenarioGenerator generator = ScenarioGenerator.builder().endKinds(kinds).build();
    SplittableRandom seeds = new SplittableRandom(seed);
    int total = replay.isPresent() ? 1 : scenarios;
    for (int i = 0; i < total; i++) {
      long scenarioSeed = replay.isPresent() ? seed : seeds.nextLong();
      Scenario scenario = replay.orElseGet(() -> generator.generate(new SplittableRandom(scenarioSeed)));
      RunRecord record = runner.run(scenario);
      RunAnalysis analysis = new RunAnalysis(record);
      progress.printf("  scenario %d/%d (seed %d): %d steps%s%n", i + 1, total, scenarioSeed,
          scenario.steps().size(), record.abortedAt() >= 0 ? ", stopped at step " + record.abortedAt() + ": "
              + record.abortReason() : "");
      for (Checker checker : checkers) {
        String id = checker.requirementId();
        if (results.containsKey(id) && results.get(id).verdict() != Verdict.PASS) {
          continue;
        }
        List<Violation> violations = checker.check(analysis);
        if (violations.isEmpty()) {
          passes.computeIfAbsent(id, k -> new ArrayList<>());
          if (passes.get(id).isEmpty()) {
            passes.get(id).add("held in every scenario");
          }
          continue;
        }
        results.put(id, judgeFailure(spec.requirement(id).orElseThrow(), scenarioSeed,
            new Evidence(scenario, record, violations), runner, checkers));
      }
    }
    return total;
  }

  private record Evidence(Scenario scenario, RunRecord record, List<Violation> violations) {}

  private RequirementResult judgeFailure(Requirement r, long scenarioSeed, Evidence first, ScenarioRunner runner,
      List<Checker> checkers) throws InterruptedException {
    List<Checker> own = checkers.stream().filter(c -> c.requirementId().equals(r.id())).toList();
    int failed = 1;
    for (int i = 0; i < reruns; i++) {
      if (!run(runner, first.scenario(), own).violations().isEmpty()) {
        failed++;
      }
    }
    Verdict verdict = failed == reruns + 1 ? Verdict.FAIL : Verdict.FLAKY;
    progress.printf("  %s %s; shrinking...%n", r.id(), verdict);
    Evidence[] smallest = {first};
    Minimizer.minimize(first.scenario(), first.violations().get(0).toString(), new ScenarioShrinker(), candidate -> {
      try {
        Evidence e = run(runner, candidate, own);
        if (e.violations().isEmpty()) {
          return Optional.empty();
        }
        smallest[0] = e;
        return Optional.of(e.violations().get(0).toString());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }, maxShrinkAttempts);
    Evidence minimal = smallest[0];
    List<String> found = minimal.violations().stream().map(Violation::toString).toList();
    FailureCase evidence = new FailureCase(scenarioSeed, minimal.scenario(), found, failed, reruns + 1,
        Traces.of(minimal.record().history()));
    return new RequirementResult(r, verdict, found.get(0), Optional.of(evidence), knownFailing.contains(r.id()));
  }

  private static Evidence run(ScenarioRunner runner, Scenario scenario, List<Checker> checkers)
      throws InterruptedException {
    RunRecord record = runner.run(scenario);
    RunAnalysis analysis = new RunAnalysis(record);
    List<Violation> all = new ArrayList<>();
    checkers.forEach(c -> all.addAll(c.check(analysis)));
    return new Evidence(scenario, record, all);
  }

  /** Describes a run; every setting has a default except the channel. */
  public static final class Builder {
    private final Channel channel;
    private String targetDescription = "server under test";
    private Credentials credentials = Credentials.devIdentity("conformance-");
    private Timing timing = Timing.defaults();
    private long seed = System.nanoTime();
    private int scenarios = 20;
    private int reruns = 2;
    private int maxShrinkAttempts = 40;
    private Predicate<String> selected = id -> true;
    private Set<String> knownFailing = Set.of();
    private Set<EndKind> endKinds =
        Set.of(EndKind.LEAVE_FRAME, EndKind.HALF_CLOSE, EndKind.CANCEL, EndKind.NETWORK_RESET);
    private Optional<Scenario> replay = Optional.empty();
    private PrintStream progress = System.out;
    private SpecDocument spec = SpecDocument.bundled();
    private NetworkAccess network;
    private java.util.function.Supplier<List<Transcript>> transcripts = Transcripts::bundled;

    private Builder(Channel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
    }

    /** Names the target in reports, for example {@code localhost:50051}. */
    public Builder targetDescription(String targetDescription) {
      this.targetDescription = Objects.requireNonNull(targetDescription);
      return this;
    }

    /** Sets how the kit authenticates its users; by default the insecure development identity. */
    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials);
      return this;
    }

    /** Sets the time allowances. */
    public Builder timing(Timing timing) {
      this.timing = Objects.requireNonNull(timing);
      return this;
    }

    /** Fixes the run seed, so that the same scenarios run again. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Sets how many random scenarios run; default 20. */
    public Builder scenarios(int scenarios) {
      if (scenarios < 0) {
        throw new IllegalArgumentException("scenarios must not be negative");
      }
      this.scenarios = scenarios;
      return this;
    }

    /** Sets how often a failure is re-run to tell FAIL from FLAKY; default 2. */
    public Builder reruns(int reruns) {
      if (reruns < 0) {
        throw new IllegalArgumentException("reruns must not be negative");
      }
      this.reruns = reruns;
      return this;
    }

    /** Bounds the scenario runs spent shrinking one failure; default 40. */
    public Builder maxShrinkAttempts(int maxShrinkAttempts) {
      this.maxShrinkAttempts = maxShrinkAttempts;
      return this;
    }

    /** Restricts the run to the requirement ids that the predicate accepts. */
    public Builder select(Predicate<String> selected) {
      this.selected = Objects.requireNonNull(selected);
      return this;
    }

    /** Lists requirements expected to fail: they do not fail the run, but passing does. */
    public Builder knownFailing(Set<String> knownFailing) {
      this.knownFailing = Set.copyOf(knownFailing);
      return this;
    }

    /**
     * Sets the ways scenarios end sessions. Network faults apply only with {@link #networkFaults}; by default
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
     * Lets the kit reach the server through its own fault proxy, for the network-loss cases (PRS-LIV-1).
     *
     * @param host the server's host
     * @param port the server's port
     * @param channels opens channels with the same transport settings as the run's channel
     */
    public Builder networkFaults(String host, int port, ChannelFactory channels) {
      this.network = new NetworkAccess(host, port, channels);
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

    /** Sets where progress lines go; default standard output. */
    public Builder progress(PrintStream progress) {
      this.progress = Objects.requireNonNull(progress);
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
