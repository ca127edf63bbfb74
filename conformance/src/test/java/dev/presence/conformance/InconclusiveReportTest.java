package dev.presence.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.report.ConsoleReport;
import dev.presence.conformance.spec.SpecDocument;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An INCONCLUSIVE verdict shows the measured noise it was judged on, apart from the bare finding. */
class InconclusiveReportTest {

  private static final String FINDING = "PRS-THR-2 at step 3: s1 received two live events about u1 29.0 ms apart";
  private static final String JUDGED = FINDING + " (missed by 21.0 ms; the kit measured 35.0 ms of its own "
      + "scheduling delay and 0.0 ms of round-trip excess then, so a verdict needed noise below 21.0 ms)";

  @Test
  void theConsoleGivesTheNoiseAnInconclusiveVerdictWasJudgedOn() {
    FailureCase evidence = new FailureCase(5, null, List.of(FINDING), 2, 3, "");
    SuiteResult result = new SuiteResult("a server", 5, 1, List.of(new RequirementResult(
        SpecDocument.bundled().requirement("PRS-THR-2").orElseThrow(), Verdict.INCONCLUSIVE, JUDGED,
        Optional.of(evidence), false)));

    String console = ConsoleReport.render(result);

    // The console wraps long lines, so the text is compared with its line breaks and indentation as spaces.
    assertThat(console.replaceAll("\\s+", " ")).contains("PRS-THR-2 INCONCLUSIVE: ")
        .contains(" judged on: " + JUDGED).contains(" " + FINDING).contains("CONFORMANT AS FAR AS JUDGED");
    assertThat(result.exitCode()).isEqualTo(3);
  }

  @Test
  void aFindingThatIsItsOwnDetailIsPrintedOnce() {
    FailureCase evidence = new FailureCase(0, null, List.of(FINDING), 3, 3, "");
    SuiteResult result = new SuiteResult("a server", 5, 1, List.of(new RequirementResult(
        SpecDocument.bundled().requirement("PRS-THR-2").orElseThrow(), Verdict.FAIL, FINDING,
        Optional.of(evidence), false)));

    String console = ConsoleReport.render(result);

    assertThat(console).doesNotContain("judged on:");
    assertThat(result.exitCode()).isEqualTo(1);
  }
}
