package dev.presence.conformance;

import dev.presence.conformance.adapter.v1.Hello;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.ClientProbes;
import dev.presence.conformance.client.SdkFeature;
import dev.presence.conformance.client.cases.ClientCases;
import dev.presence.conformance.client.adapter.AdapterException;
import dev.presence.conformance.client.adapter.AdapterLauncher;
import dev.presence.conformance.client.scenario.ClientChecker;
import dev.presence.conformance.client.scenario.ClientCheckers;
import dev.presence.conformance.client.scenario.ClientRun;
import dev.presence.conformance.client.scenario.ClientScenario;
import dev.presence.conformance.client.scenario.ClientScenarioGenerator;
import dev.presence.conformance.client.scenario.ClientScenarioRunner;
import dev.presence.conformance.client.scenario.ClientScenarioShrinker;
import dev.presence.conformance.check.Violation;
import dev.presence.conformance.directed.CaseFailure;
import dev.presence.conformance.directed.NotApplicable;
import dev.presence.conformance.noise.NoiseJudge;
import dev.presence.conformance.noise.NoiseMonitor;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.SpecDocument;
import java.io.PrintStream;
import java.time.Duration;
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
 * Runs the presence.v1 conformance kit against a client SDK: the kit starts the SDK's adapter, plays the server it
 * connects to, and judges what the SDK sends and what it tells the application, rule by rule: first by the client
 * cases, then by seeded random scenarios ({@link ClientScenario}) judged by the {@link ClientCheckers}. Failures are
 * re-run to tell FAIL from FLAKY, timing misses are weighed against the kit's own noise, and a failing scenario is
 * shrunk to a minimal one, as in server mode.
 */
public final class ClientConformanceSuite {

  /** Re-runs of a failure, to tell FAIL from FLAKY and a timing miss from the kit's own noise. */
  public static final int DEFAULT_RERUNS = ConformanceSuite.DEFAULT_RERUNS;
  /** How long an adapter may take to start and say hello; a JVM or a bundler may need seconds. */
  public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(30);
  /** Random scenarios a run generates unless told otherwise; fewer than server mode's, as each starts an adapter. */
  public static final int DEFAULT_SCENARIOS = 8;
  /** Scenario runs spent shrinking one failure; each costs an adapter start and a settle. */
  public static final int DEFAULT_MAX_SHRINK_ATTEMPTS = 25;

  /** The rule judged over every case at once, from the adapter's log: no state the kit made may appear in it. */
  public static final String PRIVACY_RULE = "PRS-PRV-1";
  /** What of that rule the adapter's log can show; persistence cannot be seen from outside. */
  public static final String PRIVACY_CLAUSE = "or write them to logs";

  private final ClientProbes probes;
  private final String command;
  private final int reruns;
  private final Predicate<String> selected;
  private final Set<String> knownFailing;
  private final PrintStream progress;
  private final SpecDocument spec;
  private final List<ClientCase> cases;
  private final ClientScenarioRunner runner;
  private final long seed;
  private final int scenarios;
  private final int maxShrinkAttempts;
  private final Optional<ClientScenario> replay;
  private final List<ClientChecker> checkers;

  private ClientConformanceSuite(Builder b) {
    this.probes = new ClientProbes(b.launcher, b.timing, b.helloTimeout);
    this.command = b.adapterName;
    this.reruns = b.reruns;
    this.selected = b.selected;
    this.knownFailing = Set.copyOf(b.knownFailing);
    this.progress = b.progress;
    this.spec = b.spec;
    this.cases = List.copyOf(b.cases);
    this.runner = new ClientScenarioRunner(b.launcher, b.timing, b.helloTimeout);
    this.seed = b.seed;
    this.scenarios = b.scenarios;
    this.maxShrinkAttempts = b.maxShrinkAttempts;
    this.replay = b.replay;
    this.checkers = List.copyOf(b.checkers);
  }

  /**
   * Starts describing a run against the SDK behind an adapter.
   *
   * @param adapterCommand the adapter program and its arguments
   * @return the builder
   * @throws IllegalArgumentException if the command is empty
   */
  public static Builder builder(List<String> adapterCommand) {
    return new Builder(shellLine(adapterCommand), AdapterLauncher.command(adapterCommand));
  }

  /**
   * Starts describing a run against the SDK behind adapters the caller starts itself, for example on the kit's JVM.
   *
   * @param adapterName how the report names the adapter, where it would show a command line
   * @param launcher starts a fresh adapter for every case and scenario
   * @return the builder
   */
  public static Builder builder(String adapterName, AdapterLauncher launcher) {
    return new Builder(adapterName, launcher);
  }

  /**
   * Runs the kit.
   *
   * @return one result per SPEC.md requirement; the target names the SDK as its adapter's hello does
   * @throws AdapterException if the adapter cannot start or never says hello
   * @throws InterruptedException if interrupted
   */
  public SuiteResult run() throws InterruptedException {
    Hello hello = probes.hello();
    try (NoiseMonitor monitor = NoiseMonitor.started()) {
      NoiseJudge judge = new NoiseJudge(monitor);
      Map<String, RequirementResult> results = new LinkedHashMap<>();
      Map<String, List<String>> passes = new LinkedHashMap<>();
      Map<String, List<Party.Unchecked>> notChecked = new LinkedHashMap<>();
      Map<String, String> leaks = new LinkedHashMap<>();
      announce(hello);
      int ran = replay.isPresent() ? 0 : runCases(results, passes, notChecked, leaks, judge);
      judgePrivacy(ran, leaks, results, passes);
      int scenariosRun = runScenarios(hello, results, passes, judge);
      List<RequirementResult> ordered = new ArrayList<>();
      for (Requirement r : spec.requirements()) {
        ordered.add(results.computeIfAbsent(r.id(),
            id -> Party.CLIENT.unfailed(r, selected, knownFailing, passes.get(id), notChecked.get(id))));
      }
      return new SuiteResult(describe(hello), seed, scenariosRun, ordered);
    }
  }

  /** Names the adapter as its user typed it: {@code --client} runs one line through {@code /bin/sh -c}. */
  private static String shellLine(List<String> command) {
    boolean shell = command.size() == 3 && command.get(0).endsWith("/sh") && command.get(1).equals("-c");
    return shell ? command.get(2) : String.join(" ", command);
  }

  /**
   * Says what the run is about to do, in one line: the verdicts come as one table at the end, so the run shows no
   * row of its own per case.
   */
  private void announce(Hello hello) {
    if (replay.isPresent()) {
      progress.printf("replaying one client scenario against %s (seed %d)%n", describe(hello), seed);
      return;
    }
    long chosen = cases.stream().filter(c -> selected.test(c.requirementId())).count();
    boolean judged = checkers.stream().anyMatch(c -> selected.test(c.requirementId()));
    progress.printf("running %d client cases and %d random scenarios against %s (seed %d)%n", chosen,
        judged ? scenarios : 0, describe(hello), seed);
  }

  private String describe(Hello hello) {
    String version = hello.getVersion().isEmpty() ? "" : " " + hello.getVersion();
    String language = hello.getLanguage().isEmpty() ? "" : " (" + hello.getLanguage() + ")";
    return "client " + (hello.getSdk().isEmpty() ? "SDK" : hello.getSdk()) + version + language + " via `"
        + command + "`";
  }

  private int runCases(Map<String, RequirementResult> results, Map<String, List<String>> passes,
      Map<String, List<Party.Unchecked>> notChecked, Map<String, String> leaks, NoiseJudge judge)
      throws InterruptedException {
    int ran = 0;
    for (ClientCase c : cases) {
      if (!selected.test(c.requirementId()) || results.containsKey(c.requirementId())) {
        continue;
      }
      Requirement r = spec.requirement(c.requirementId()).orElseThrow();
      Outcome first = runCase(c, leaks);
      ran++;
      if (first.notApplicable != null) {
        notChecked.computeIfAbsent(r.id(), k -> new ArrayList<>())
            .add(Party.Unchecked.of(c.name() + ": ", first.notApplicable));
        continue;
      }
      List<Attempt> attempts = new ArrayList<>(List.of(first.attempt(judge)));
      if (first.failure == null) {
        passes.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(c.name());
        continue;
      }
      for (int i = 1; i <= reruns; i++) {
        ConformanceSuite.awaitQuietIfTimed(attempts.get(0), judge);
        attempts.add(runCase(c, leaks).attempt(judge));
      }
      Verdict verdict = Judgement.of(attempts);
      if (verdict == Verdict.PASS) {
        passes.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(c.name() + " (passed at a quiet moment after a "
            + "miss the kit's own noise explained)");
        continue;
      }
      int failed = (int) attempts.stream().filter(Attempt::failed).count();
      String detail = c.name() + ": " + attempts.get(0).detail();
      FailureCase evidence = new FailureCase(0, null, List.of(detail), failed, attempts.size(), first.trace);
      results.put(r.id(), new RequirementResult(r, verdict, detail, Optional.of(evidence),
          knownFailing.contains(r.id())));
    }
    return ran;
  }

  private Outcome runCase(ClientCase c, Map<String, String> leaks) throws InterruptedException {
    try (ClientProbe probe = probes.open()) {
      try {
        c.body().run(probe);
        return Outcome.passed(probe.trace());
      } catch (CaseFailure f) {
        return new Outcome(f.getMessage(), null, f.timingMiss(), probe.trace());
      } catch (NotApplicable n) {
        return new Outcome(null, n, Optional.empty(), "");
      } catch (AdapterException e) {
        return new Outcome("the adapter broke the adapter protocol: " + e.getMessage(), null, Optional.empty(),
            probe.trace());
      } catch (RuntimeException e) {
        return new Outcome("the case could not run: " + e, null, Optional.empty(), probe.trace());
      } finally {
        probe.leakedMarkers().forEach(m -> leaks.putIfAbsent(m, c.requirementId() + " " + c.name()));
      }
    }
  }

  private int runScenarios(Hello hello, Map<String, RequirementResult> results, Map<String, List<String>> passes,
      NoiseJudge judge) throws InterruptedException {
    List<ClientChecker> chosen = checkers.stream().filter(c -> selected.test(c.requirementId())).toList();
    if (chosen.isEmpty()) {
      return 0;
    }
    ClientScenarioGenerator generator = new ClientScenarioGenerator(
        !hello.getUnsupportedList().contains(SdkFeature.UNSYNC_ONE));
    ScenarioFailureJudge<ClientScenario, ClientRun> failures = new ScenarioFailureJudge<>(runner::run,
        (run, id) -> {
          List<Violation> found = new ArrayList<>();
          chosen.stream().filter(c -> c.requirementId().equals(id)).forEach(c -> found.addAll(c.check(run)));
          return found;
        }, run -> List.of(), ClientRun::trace, new ClientScenarioShrinker(), judge, reruns, maxShrinkAttempts,
        knownFailing);
    SplittableRandom seeds = new SplittableRandom(seed);
    int total = replay.isPresent() ? 1 : scenarios;
    for (int i = 0; i < total; i++) {
      long scenarioSeed = replay.isPresent() ? seed : seeds.nextLong();
      ClientScenario scenario = replay.orElseGet(() -> generator.generate(new SplittableRandom(scenarioSeed)));
      ClientRun run = runner.run(scenario);
      // Checkers judge only what the run reached, so a stopped or unsettled scenario is said here or nowhere.
      Optional<String> unfinished = run.abortReason().map(r -> "stopped at step " + (run.executed() - 1) + ": " + r)
          .or(() -> run.settleFailure().map(f -> "did not settle: " + f));
      if (unfinished.isPresent()) {
        progress.printf("scenario %d/%d (seed %d) %s%n", i + 1, total, scenarioSeed, unfinished.get());
      }
      for (ClientChecker checker : chosen) {
        String id = checker.requirementId();
        if (results.containsKey(id) && ScenarioFailureJudge.outranksInconclusive(results.get(id).verdict())) {
          continue;
        }
        var first = failures.evidence(scenario, run, checker.check(run));
        Optional<RequirementResult> judged = first.attempt().failed()
            ? failures.judge(spec.requirement(id).orElseThrow(), scenarioSeed, first)
            : Optional.empty();
        if (judged.isEmpty()) {
          List<String> held = passes.computeIfAbsent(id, k -> new ArrayList<>());
          if (!held.contains(SCENARIOS_HELD)) {
            held.add(SCENARIOS_HELD);
          }
          continue;
        }
        results.put(id, judged.get());
      }
    }
    return total;
  }

  private static final String SCENARIOS_HELD = "held in every client scenario";

  /** PRS-PRV-1 is judged over every case: no state the kit made may show in the adapter's log. */
  private void judgePrivacy(int ran, Map<String, String> leaks, Map<String, RequirementResult> results,
      Map<String, List<String>> passes) {
    if (!selected.test(PRIVACY_RULE) || ran == 0) {
      return;
    }
    Requirement r = spec.requirement(PRIVACY_RULE).orElseThrow();
    if (leaks.isEmpty()) {
      passes.computeIfAbsent(PRIVACY_RULE, k -> new ArrayList<>()).add("no state of " + ran
          + " cases appeared in the adapter's log (persistence is not observable from outside)");
      return;
    }
    List<String> found = leaks.entrySet().stream()
        .map(e -> "a state marked " + e.getKey() + " appeared in the adapter's log during " + e.getValue())
        .toList();
    results.put(PRIVACY_RULE, new RequirementResult(r, Verdict.FAIL, found.get(0) + " (" + found.size()
        + " states in all)", Optional.of(new FailureCase(0, null, found, 1, 1, "")),
        knownFailing.contains(PRIVACY_RULE)));
  }

  private record Outcome(String failure, NotApplicable notApplicable, Optional<TimingMiss> timing, String trace) {
    static Outcome passed(String trace) {
      return new Outcome(null, null, Optional.empty(), trace);
    }

    Attempt attempt(NoiseJudge judge) {
      return Attempt.ofCase(failure, timing, List.of(), judge);
    }
  }

  /** Describes a run; every setting has a default except the adapter. */
  public static final class Builder extends SuiteBuilder<Builder> {
    private final String adapterName;
    private final AdapterLauncher launcher;
    private Duration helloTimeout = DEFAULT_HELLO_TIMEOUT;
    private SpecDocument spec = SpecDocument.bundled();
    private List<ClientCase> cases = ClientCases.all();
    private Optional<ClientScenario> replay = Optional.empty();
    private List<ClientChecker> checkers = ClientCheckers.all();

    private Builder(String adapterName, AdapterLauncher launcher) {
      super(DEFAULT_SCENARIOS, DEFAULT_MAX_SHRINK_ATTEMPTS);
      this.adapterName = Objects.requireNonNull(adapterName);
      this.launcher = Objects.requireNonNull(launcher);
    }


    /** Sets how long the adapter may take to start; default 30 s. */
    public Builder helloTimeout(Duration helloTimeout) {
      this.helloTimeout = Objects.requireNonNull(helloTimeout);
      return this;
    }





    /** Replaces the cases to run; by default every case of the kit. */
    public Builder cases(List<ClientCase> cases) {
      this.cases = List.copyOf(cases);
      return this;
    }




    /** Replays one client scenario, as written to a replay file, instead of running the cases and generating any. */
    public Builder replay(ClientScenario scenario) {
      this.replay = Optional.of(scenario);
      return this;
    }

    /** Replaces the scenario checkers; by default every one of the kit. */
    public Builder checkers(List<ClientChecker> checkers) {
      this.checkers = List.copyOf(checkers);
      return this;
    }

    /** Validates the description and returns the suite. */
    public ClientConformanceSuite build() {
      return new ClientConformanceSuite(this);
    }
  }
}
