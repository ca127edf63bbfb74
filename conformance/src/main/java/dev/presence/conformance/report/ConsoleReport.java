package dev.presence.conformance.report;

import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.transcript.TranscriptResult;
import java.io.PrintStream;

/** The console table: one row per requirement, then the totals and the run's result. */
public final class ConsoleReport {

  private static final int TEXT_WIDTH = 70;

  private ConsoleReport() {}

  /** Returns the table as text, for assertion messages. */
  public static String render(SuiteResult result) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    print(result, new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Prints the table. */
  public static void print(SuiteResult result, PrintStream out) {
    out.printf("%npresence.v1 conformance of %s (seed %d, %d scenarios)%n%n", result.target(), result.seed(),
        result.scenarios());
    out.printf("%-11s %-14s %s%n", "REQUIREMENT", "VERDICT", "DETAIL");
    for (RequirementResult r : result.results()) {
      String verdict = r.verdict().label() + (r.knownFailing() ? " (known)" : "");
      if (r.verdict() == Verdict.FLAKY || r.verdict() == Verdict.INCONCLUSIVE) {
        verdict += String.format(" %.0f%%", 100 * r.failure().orElseThrow().failureRate());
      }
      out.printf("%-11s %-14s %s%n", r.requirement().id(), verdict, abbreviate(r.detail()));
    }
    out.printf("%n%d PASS, %d FAIL, %d FLAKY, %d INCONCLUSIVE, %d EXEMPT, %d SKIPPED, %d NOT-APPLICABLE: %s%n",
        result.count(Verdict.PASS), result.count(Verdict.FAIL), result.count(Verdict.FLAKY),
        result.count(Verdict.INCONCLUSIVE), result.count(Verdict.EXEMPT), result.count(Verdict.SKIPPED),
        result.count(Verdict.NOT_APPLICABLE),
        result.passed() ? (result.inconclusive() ? "CONFORMANT AS FAR AS JUDGED (some timing INCONCLUSIVE)"
            : "CONFORMANT") : "NOT CONFORMANT");
    printTranscripts(result, out);
    result.results().stream().filter(r -> r.failsRun() || r.verdict() == Verdict.INCONCLUSIVE).forEach(r -> {
      out.printf("%n%s %s: %s%n", r.requirement().id(), r.verdict().label(), r.requirement().text());
      if (r.knownFailing() && r.verdict() == Verdict.PASS) {
        out.println("  listed as known-failing but passed: remove it from the list");
      }
      r.failure().ifPresent(f -> {
        if (!f.violations().contains(r.detail())) {
          out.println("  judged on: " + r.detail());
        }
        f.violations().forEach(v -> out.println("  " + v));
        if (f.minimal() != null) {
          out.printf("  minimal scenario (seed %d):%n", f.seed());
          f.minimal().describe().lines().forEach(line -> out.println("    " + line));
        }
      });
    });
  }

  private static void printTranscripts(SuiteResult result, PrintStream out) {
    if (result.transcripts().isEmpty()) {
      return;
    }
    out.printf("%n%-40s %-8s %s%n", "TRANSCRIPT", "OUTCOME", "DETAIL");
    for (TranscriptResult t : result.transcripts()) {
      out.printf("%-40s %-8s %s%n", t.name(), t.outcome(), abbreviate(t.detail()));
    }
    result.transcripts().stream().filter(t -> t.outcome() == TranscriptResult.Outcome.FAIL).forEach(t -> {
      out.printf("%ntranscript %s (%s) %s: %s%n", t.name(), String.join(" ", t.rules()), t.outcome(),
          t.detail());
      t.trace().lines().forEach(line -> out.println("    " + line));
    });
  }

  private static String abbreviate(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() <= TEXT_WIDTH ? line : line.substring(0, TEXT_WIDTH - 3) + "...";
  }
}
