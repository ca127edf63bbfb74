package dev.presence.conformance.cli;

import dev.presence.conformance.ClientConformanceSuite;
import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.client.adapter.AdapterException;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.driver.Credentials;
import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.report.ConsoleReport;
import dev.presence.conformance.report.HtmlReport;
import dev.presence.conformance.report.JsonReport;
import dev.presence.conformance.report.JunitXmlReport;
import dev.presence.conformance.report.ReplayFile;
import dev.presence.conformance.spec.SpecDocument;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code presence-conformance}: runs the kit against a server and writes its reports. */
@Command(name = "presence-conformance", mixinStandardHelpOptions = true, version = "presence-conformance 0.1",
    sortOptions = false,
    description = "Checks a presence.v1 server (--target) or client SDK (--client) against SPEC.md, requirement "
        + "by requirement.%n"
        + "Exit code: 0 conformant, 1 not conformant (a FAIL or FLAKY verdict, or a failed transcript), "
        + "2 usage or connection error, 3 no failure but some timing verdict INCONCLUSIVE.")
public final class ConformanceMain implements Callable<Integer> {

  @Option(names = "--target", paramLabel = "TARGETS", description = "The server under test: HOST:PORT for gRPC, "
      + "ws://HOST:PORT/presence.v1 or wss://… for WebSocket, or a comma-separated list of them, which sessions "
      + "take in turn (a list mixing bindings checks rooms holding both).")
  private String target;

  @Option(names = "--client", paramLabel = "COMMAND", description = "Check a client SDK instead of a server: run "
      + "COMMAND (through /bin/sh), the SDK's adapter, which speaks the adapter protocol of client_adapter.proto on "
      + "its stdin and stdout, and play the server it connects to. See conformance/SDK.md.")
  private String client;

  @Option(names = "--tls", description = "Connect to HOST:PORT targets with TLS (wss:// always uses TLS).")
  private boolean tls;

  @Option(names = "--ca", paramLabel = "FILE", description = "PEM roots to trust for --tls and wss://.")
  private File ca;

  @ArgGroup(exclusive = true)
  private Auth auth = new Auth();

  static final class Auth {
    @Option(names = "--auth", paramLabel = "none", description = "none: claim identities in the open frame "
        + "(the server's insecure development mode). The default.")
    String mode = "none";

    @Option(names = "--tokens", paramLabel = "FILE", description = "Properties file mapping users u1..u4 to "
        + "bearer tokens, e.g. u1=eyJ..., and optionally expired=... and not-yet-valid=... to tokens the server "
        + "signed but must refuse.")
    File tokens;

    @Option(names = "--token-command", paramLabel = "CMD", description = "Shell command printing a token for "
        + "the user named by {user}, e.g. 'mint-token {user}'.")
    String tokenCommand;
  }

  @Option(names = "--run", paramLabel = "GLOB", description = "Run only requirements matching the glob, e.g. "
      + "'PRS-THR-*'. Repeatable.")
  private List<String> run = new ArrayList<>();

  @Option(names = "--skip", paramLabel = "GLOB", description = "Skip requirements matching the glob. Repeatable.")
  private List<String> skip = new ArrayList<>();

  @Option(names = "--list", description = "List the requirements, how the kit checks each and which of their "
      + "sentences it checks, then exit.")
  private boolean list;

  @Option(names = "--seed", description = "Run seed; a run with the same seed generates the same scenarios.")
  private Long seed;

  @Option(names = "--scenarios", description = "Random scenarios to run (default "
      + ConformanceSuite.DEFAULT_SCENARIOS + " for a server, " + ClientConformanceSuite.DEFAULT_SCENARIOS
      + " for a client, whose scenarios each start its adapter).")
  private Integer scenarios;

  @Option(names = "--replay", paramLabel = "FILE", description = "Replay the minimal scenario of a replay file.")
  private Path replay;

  @Option(names = "--transcripts", paramLabel = "DIR", description = "Replay the transcripts (*.txt) of this "
      + "directory instead of the ones bundled in the kit.")
  private Path transcripts;

  @Option(names = "--known-failing", paramLabel = "FILE", description = "Requirement ids, one per line, that may "
      + "fail; a listed one that passes fails the run.")
  private Path knownFailing;

  @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "target/conformance-report",
      description = "Where report.json, junit.xml, report.html and replay files go, created if missing (default "
          + "${DEFAULT-VALUE}, under the working directory, like a build's other output).")
  private Path reportDir;

  @Option(names = "--slack-millis", description = "Extra allowance on every delivery "
      + "deadline beyond window + 25 ms + round trip (default ${DEFAULT-VALUE}).")
  private long slackMillis = Timing.DEFAULT_SLACK_MILLIS;

  @Option(names = "--spacing-tolerance-millis", description = "How much closer than one "
      + "window two deliveries may arrive, for network bunching (default ${DEFAULT-VALUE}).")
  private long spacingToleranceMillis = Timing.DEFAULT_SPACING_TOLERANCE_MILLIS;

  @Option(names = "--blackhole-scenarios", description = "Let random scenarios also end sessions by "
      + "blackholing their connection; each such end waits up to the server's leave-detection bound.")
  private boolean blackholeScenarios;

  @Option(names = "--reruns", description = "Re-runs of a failure to tell FAIL from FLAKY "
      + "(default ${DEFAULT-VALUE}).")
  private int reruns = ConformanceSuite.DEFAULT_RERUNS;

  @Option(names = "--shrink-attempts", description = "Scenario runs spent shrinking one failure (default "
      + ConformanceSuite.DEFAULT_MAX_SHRINK_ATTEMPTS + " for a server, "
      + ClientConformanceSuite.DEFAULT_MAX_SHRINK_ATTEMPTS + " for a client).")
  private Integer shrinkAttempts;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    ClosedStreamWarnings.install();
    System.exit(new CommandLine(new ConformanceMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Predicate<String> selected = selection();
    if (list) {
      RequirementListing.print(SpecDocument.bundled(), selected, System.out);
      return 0;
    }
    if (client != null && target != null) {
      err.println("--target and --client exclude each other: the kit checks a server or a client per run");
      return 2;
    }
    if (client != null) {
      return runClientMode(selected, err);
    }
    if (target == null) {
      err.println("--target HOST:PORT (or ws://…, wss://…, or a list) or --client COMMAND is required (or use "
          + "--list)");
      return 2;
    }
    Targets targets;
    try {
      targets = Targets.parse(target, tls, ca);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    try (targets) {
      ConformanceSuite.Builder suite = ConformanceSuite.builder(targets.endpoints())
          .targetDescription(target)
          .credentials(credentials())
          .timing(new Timing(slackMillis, spacingToleranceMillis, Timing.DEFAULT_REQUEST_TIMEOUT))
          .scenarios(scenarios == null ? ConformanceSuite.DEFAULT_SCENARIOS : scenarios)
          .reruns(reruns)
          .maxShrinkAttempts(shrinkAttempts == null ? ConformanceSuite.DEFAULT_MAX_SHRINK_ATTEMPTS : shrinkAttempts)
          .select(selected)
          .knownFailing(knownFailing == null ? Set.of() : readIds(knownFailing));
      if (seed != null) {
        suite.seed(seed);
      }
      if (blackholeScenarios) {
        suite.endKinds(java.util.EnumSet.allOf(dev.presence.conformance.history.EndKind.class));
      }
      if (transcripts != null) {
        suite.transcripts(dev.presence.conformance.transcript.Transcripts.in(transcripts));
      }
      if (replay != null) {
        ReplayFile.Replay r = ReplayFile.read(replay);
        if (r.client()) {
          err.println(replay + " holds a client scenario: replay it with --client");
          return 2;
        }
        suite.replay(r.scenario()).seed(r.seed());
      }
      SuiteResult result = suite.build().run();
      ConsoleReport.print(result, System.out);
      writeReports(result);
      return result.exitCode();
    }
  }

  private int runClientMode(Predicate<String> selected, PrintWriter err) throws IOException, InterruptedException {
    SuiteResult result;
    try {
      ClientConformanceSuite.Builder suite = ClientConformanceSuite.builder(List.of("/bin/sh", "-c", client))
          .timing(new Timing(slackMillis, spacingToleranceMillis, Timing.DEFAULT_REQUEST_TIMEOUT))
          .reruns(reruns)
          .scenarios(scenarios == null ? ClientConformanceSuite.DEFAULT_SCENARIOS : scenarios)
          .maxShrinkAttempts(shrinkAttempts == null ? ClientConformanceSuite.DEFAULT_MAX_SHRINK_ATTEMPTS
              : shrinkAttempts)
          .select(selected)
          .knownFailing(knownFailing == null ? Set.of() : readIds(knownFailing));
      if (seed != null) {
        suite.seed(seed);
      }
      if (replay != null) {
        ReplayFile.Replay r = ReplayFile.read(replay);
        if (!r.client()) {
          err.println(replay + " holds a server scenario: replay it with --target");
          return 2;
        }
        suite.replay(r.clientScenario()).seed(r.seed());
      }
      result = suite.build().run();
    } catch (AdapterException e) {
      err.println("the adapter could not be driven: " + e.getMessage());
      return 2;
    }
    ConsoleReport.print(result, System.out);
    writeReports(result);
    return result.exitCode();
  }

  /** Writes every report and says where, since the directory is the reader's way to the evidence. */
  private void writeReports(SuiteResult result) throws IOException {
    Files.createDirectories(reportDir);
    List<String> written = new ArrayList<>(List.of("report.json", "junit.xml", "report.html"));
    Files.writeString(reportDir.resolve("report.json"), JsonReport.render(result), StandardCharsets.UTF_8);
    Files.writeString(reportDir.resolve("junit.xml"), JunitXmlReport.render(result), StandardCharsets.UTF_8);
    Files.writeString(reportDir.resolve("report.html"), HtmlReport.render(result), StandardCharsets.UTF_8);
    for (RequirementResult r : result.results()) {
      if (r.failure().isPresent() && r.failure().get().minimal() != null) {
        written.add(ReplayFile.write(reportDir, r).getFileName().toString());
      }
    }
    System.out.println();
    System.out.println("reports written to " + reportDir.toAbsolutePath().normalize() + ": "
        + String.join(", ", written));
  }

  private Predicate<String> selection() {
    List<PathMatcher> include = run.stream().map(ConformanceMain::glob).toList();
    List<PathMatcher> exclude = skip.stream().map(ConformanceMain::glob).toList();
    return id -> (include.isEmpty() || include.stream().anyMatch(m -> m.matches(Path.of(id))))
        && exclude.stream().noneMatch(m -> m.matches(Path.of(id)));
  }

  private static PathMatcher glob(String pattern) {
    return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
  }

  private Credentials credentials() throws IOException {
    if (auth.tokens != null) {
      Properties tokens = new Properties();
      try (var in = Files.newBufferedReader(auth.tokens.toPath(), StandardCharsets.UTF_8)) {
        tokens.load(in);
      }
      Map<Credentials.Unusable, String> unusable = new EnumMap<>(Credentials.Unusable.class);
      for (Credentials.Unusable why : Credentials.Unusable.values()) {
        String token = tokens.getProperty(why.key());
        if (token != null) {
          unusable.put(why, token.strip());
        }
      }
      return Credentials.bearerTokens(user -> {
        String token = tokens.getProperty(user);
        if (token == null) {
          throw new IllegalArgumentException(auth.tokens + " has no token for user " + user);
        }
        return token.strip();
      }, unusable);
    }
    if (auth.tokenCommand != null) {
      return Credentials.bearerTokens(user -> TokenCommand.run(auth.tokenCommand, user));
    }
    if (!auth.mode.equals("none")) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--auth accepts only 'none'");
    }
    return Credentials.devIdentity("conformance-" + Long.toHexString(System.nanoTime() & 0xFFFFFL) + "-");
  }

  private static Set<String> readIds(Path file) throws IOException {
    Set<String> ids = new HashSet<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String id = line.replaceAll("#.*", "").strip();
      if (!id.isEmpty()) {
        ids.add(id);
      }
    }
    return ids;
  }
}
