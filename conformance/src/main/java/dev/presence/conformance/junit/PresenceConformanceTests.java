package dev.presence.conformance.junit;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.report.ConsoleReport;
import dev.presence.conformance.transcript.TranscriptResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * JUnit 5 entry point for JVM servers: extend it, return a configured suite from {@link #suite()}, and the kit runs
 * once, reporting one test per SPEC.md requirement and one per transcript. FAIL and FLAKY fail their test;
 * INCONCLUSIVE, EXEMPT, SKIPPED and NOT-APPLICABLE abort theirs, so a report shows them as skipped with the verdict
 * and its reason: an INCONCLUSIVE timing verdict means the machine was too busy for the kit to judge, never that the
 * server failed, and an EXEMPT one that the kit never checks the rule.
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
        result.results().stream().map(r -> DynamicTest.dynamicTest(r.requirement().id(), () -> verdict(r))),
        result.transcripts().stream().map(t -> DynamicTest.dynamicTest("transcript " + t.name(), () -> verdict(t))));
  }

  private static void verdict(TranscriptResult t) {
    if (t.outcome() == TranscriptResult.Outcome.FAIL) {
      Assertions.fail("transcript " + t.name() + " (" + String.join(" ", t.rules()) + "): " + t.detail() + "\n"
          + t.trace());
    }
    Assumptions.assumeFalse(t.outcome() == TranscriptResult.Outcome.SKIPPED
        || t.outcome() == TranscriptResult.Outcome.INCONCLUSIVE, t.outcome() + ": " + t.detail());
  }

  private static void verdict(RequirementResult r) {
    if (r.failsRun()) {
      Assertions.fail(r.requirement().id() + " " + r.verdict().label() + ": " + r.detail() + "\n  "
          + r.requirement().text() + r.failure().map(f -> "\n  " + String.join("\n  ", f.violations())
              + (f.minimal() == null ? "" : "\n  minimal scenario:\n" + f.minimal().describe())).orElse(""));
    }
    Assumptions.assumeFalse(r.verdict() == Verdict.SKIPPED || r.verdict() == Verdict.NOT_APPLICABLE
        || r.verdict() == Verdict.INCONCLUSIVE || r.verdict() == Verdict.EXEMPT,
        r.verdict().label() + ": " + r.detail());
  }
}
