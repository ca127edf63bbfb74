package dev.presence.conformance.junit;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.report.ConsoleReport;
import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.transcript.TranscriptResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * JUnit 5 entry point for JVM servers: extend it, return a configured suite from {@link #suite()}, and the kit runs
 * once, reporting one test per SPEC.md requirement that binds servers and one per transcript. FAIL and FLAKY fail
 * their test; INCONCLUSIVE, SKIPPED and NOT-APPLICABLE (for example a token check in the development mode) abort
 * theirs, and the test's name carries the verdict and its reason, so a report of skipped tests explains each one: an
 * INCONCLUSIVE timing verdict means the machine was too busy for the kit to judge, never that the server failed. A
 * requirement that binds clients only, a withdrawn one, and an EXEMPT one (the kit never checks it on its own; other
 * requirements check it) get no test: nothing this run does could pass or fail them. The console report printed
 * first lists every requirement.
 *
 * <pre>{@code
 * class MyServerConformanceTest extends PresenceConformanceTests {
 *   protected ConformanceSuite.Builder suite() {
 *     return ConformanceSuite.builder(channelToMyServer).seed(42);
 *   }
 * }
 * }</pre>
 */
public abstract class PresenceConformanceTests {

  /**
   * Returns the suite to run; called once per test class instance.
   *
   * @return a configured builder, for example with the channel, credentials and seed
   */
  protected abstract ConformanceSuite.Builder suite();

  /**
   * Runs the kit and returns one dynamic test per requirement.
   *
   * @return the tests, in SPEC.md order
   * @throws InterruptedException if interrupted
   */
  @TestFactory
  Stream<DynamicTest> presenceV1() throws InterruptedException {
    SuiteResult result = suite().build().run();
    System.out.println(ConsoleReport.render(result));
    return Stream.concat(
        result.results().stream().filter(PresenceConformanceTests::bindsTarget)
            .map(r -> DynamicTest.dynamicTest(name(r), () -> verdict(r))),
        result.transcripts().stream().map(t -> DynamicTest.dynamicTest(name(t), () -> verdict(t))));
  }

  private static boolean bindsTarget(RequirementResult r) {
    return r.requirement().bindsServer() && r.requirement().level() != Requirement.Level.WITHDRAWN
        && r.verdict() != Verdict.EXEMPT;
  }

  private static String name(RequirementResult r) {
    return unjudged(r) ? r.requirement().id() + " (" + why(r) + ")" : r.requirement().id();
  }

  private static String name(TranscriptResult t) {
    return unjudged(t) ? "transcript " + t.name() + " (" + why(t) + ")" : "transcript " + t.name();
  }

  /** The verdict and its reason, as both a test's name and its abort give them. */
  private static String why(RequirementResult r) {
    return r.verdict().label() + ": " + r.detail();
  }

  private static String why(TranscriptResult t) {
    return t.outcome() + ": " + t.detail();
  }

  private static boolean unjudged(RequirementResult r) {
    return r.verdict() == Verdict.SKIPPED || r.verdict() == Verdict.INCONCLUSIVE
        || r.verdict() == Verdict.NOT_APPLICABLE;
  }

  private static boolean unjudged(TranscriptResult t) {
    return t.outcome() == TranscriptResult.Outcome.SKIPPED || t.outcome() == TranscriptResult.Outcome.INCONCLUSIVE;
  }

  private static void verdict(TranscriptResult t) {
    if (t.outcome() == TranscriptResult.Outcome.FAIL) {
      Assertions.fail("transcript " + t.name() + " (" + String.join(" ", t.rules()) + "): " + t.detail() + "\n"
          + t.trace());
    }
    Assumptions.assumeFalse(unjudged(t), why(t));
  }

  private static void verdict(RequirementResult r) {
    if (r.failsRun()) {
      Assertions.fail(r.requirement().id() + " " + r.verdict().label() + ": " + r.detail() + "\n  "
          + r.requirement().text() + r.failure().map(f -> "\n  " + String.join("\n  ", f.violations())
              + (f.minimal() == null ? "" : "\n  minimal scenario:\n" + f.minimal().describe())).orElse(""));
    }
    Assumptions.assumeFalse(unjudged(r), why(r));
  }
}
