package dev.presence.conformance.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.spec.SpecDocument;
import dev.presence.conformance.transcript.TranscriptResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console shows one table whose details wrap in full, and counts the reasons of every unjudged verdict. */
class ConsoleReportTest {

  private static final String LONG = "needs a gRPC and a WebSocket endpoint of the same server; this run has no "
      + "WebSocket endpoint, so the kit cannot check that one user's tabs on both bindings are one user with one "
      + "presence, one fan-out and the same limits (https://presence.example/a-very-long-address-with-no-spaces-"
      + "in-it-at-all-that-is-longer-than-any-line-of-the-console)";

  private static RequirementResult result(String id, Verdict verdict, String detail, String reason) {
    return new RequirementResult(SpecDocument.bundled().requirement(id).orElseThrow(), verdict, detail,
        Optional.empty(), false, reason);
  }

  private static final SuiteResult RESULT = new SuiteResult("a server", 7, 2, List.of(
      result("PRS-TRN-1", Verdict.PASS, "directed case passed", "directed case passed"),
      result("PRS-WS-18", Verdict.NOT_APPLICABLE, LONG, LONG),
      result("PRS-TRN-3", Verdict.NOT_APPLICABLE, "binds clients only", "binds clients only"),
      result("PRS-TRN-5", Verdict.NOT_APPLICABLE, "binds clients only", "binds clients only"),
      result("PRS-TRN-2", Verdict.EXEMPT, "Ordering within a call underlies other rules, which check it.",
          "checked through other rules"),
      result("PRS-STA-1", Verdict.SKIPPED, "not selected", "not selected")),
      List.of(new TranscriptResult("two-tabs", "", List.of("PRS-SES-2"), TranscriptResult.Outcome.PASS, 0, "", ""),
          new TranscriptResult("idle-timeout", "", List.of("PRS-LIV-2"), TranscriptResult.Outcome.SKIPPED, 0,
              "needs server settings {idle_timeout_millis=500}, which this target cannot arrange", ""),
          new TranscriptResult("open-timeout", "", List.of("PRS-OPN-7"), TranscriptResult.Outcome.SKIPPED, 0,
              "needs server settings {idle_timeout_millis=500}, which this target cannot arrange", "")));

  private static final List<String> LINES = ConsoleReport.render(RESULT).lines().toList();

  @Test
  void aLongDetailWrapsUnderItsColumnAndLosesNothing() {
    int row = LINES.indexOf(LINES.stream().filter(l -> l.startsWith("PRS-WS-18 ")).findFirst().orElseThrow());
    int column = LINES.get(row).indexOf("needs a gRPC");
    List<String> continued = LINES.subList(row + 1, LINES.size()).stream()
        .takeWhile(l -> l.startsWith(" ".repeat(column)) && !l.isBlank()).toList();

    assertThat(continued).isNotEmpty().allSatisfy(l -> assertThat(l.charAt(column)).isNotEqualTo(' '));
    String shown = LINES.get(row).substring(column) + String.join("", continued);
    assertThat(shown.replaceAll("\\s", "")).isEqualTo(LONG.replaceAll("\\s", ""));
  }

  @Test
  void noLineIsWiderThanTheConsoleOrEndsInBlanks() {
    assertThat(LINES).allSatisfy(l -> {
      assertThat(l.length()).isLessThanOrEqualTo(Wrap.WIDTH);
      assertThat(l).doesNotEndWith(" ");
    });
    assertThat(LINES).noneMatch(l -> l.contains("..."));
  }

  @Test
  void thereIsOneTableAndNoProgressRows() {
    assertThat(LINES).filteredOn(l -> l.startsWith("REQUIREMENT ")).hasSize(1);
    assertThat(LINES).filteredOn(l -> l.matches("\\s*PRS-\\S+\\s+ok")).isEmpty();
    assertThat(LINES).filteredOn(l -> l.startsWith("TRANSCRIPT")).isEmpty();
  }

  @Test
  void theSummaryCountsTheReasonsOfEachUnjudgedVerdict() {
    int heading = LINES.indexOf("3 NOT-APPLICABLE:");
    assertThat(LINES.get(heading + 1)).isEqualTo("  2  binds clients only");
    assertThat(LINES.get(heading + 2)).startsWith("  1  " + LONG.substring(0, 40));
    assertThat(LINES).contains("1 EXEMPT: checked through other rules", "1 SKIPPED: not selected");
  }

  @Test
  void skippedTranscriptsSayWhy() {
    assertThat(LINES).contains("3 transcripts: 1 PASS, 0 FAIL, 0 INCONCLUSIVE, 2 SKIPPED");
    assertThat(String.join("\n", LINES)).contains("  SKIPPED idle-timeout, open-timeout: needs server settings "
        + "{idle_timeout_millis=500}, which");
  }

  @Test
  void wrappingKeepsLineBreaksAndSplitsOnlyWordsLongerThanALine() {
    assertThat(Wrap.wrap("one two three\nfour", 8, 8)).containsExactly("one two", "three", "four");
    assertThat(Wrap.wrap("abcdefghij", 4, 4)).containsExactly("abcd", "efgh", "ij");
    assertThat(Wrap.lines("  lead ", "", 4)).containsExactly("  lead");
  }
}
