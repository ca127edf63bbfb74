package dev.presence.conformance.report;

import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.transcript.TranscriptResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The console report: one table with a row per requirement, its detail wrapped in full; then the totals, with the
 * reasons of the rules left unjudged counted; the transcripts; and the evidence of every failure.
 */
public final class ConsoleReport {

  private static final String ID = "REQUIREMENT";
  private static final String VERDICT = "VERDICT";
  /** Verdicts that judge nothing: the summary counts their reasons, since a bare count explains nothing. */
  private static final List<Verdict> UNJUDGED = List.of(Verdict.EXEMPT, Verdict.SKIPPED, Verdict.NOT_APPLICABLE);

  private ConsoleReport() {}

  /** Returns the report as text, for assertion messages. */
  public static String render(SuiteResult result) {
    List<String> lines = new ArrayList<>();
    table(result, lines);
    summary(result, lines);
    transcripts(result, lines);
    failures(result, lines);
    return lines.stream().map(line -> line + "\n").collect(Collectors.joining());
  }

  /** Prints the report. */
  public static void print(SuiteResult result, PrintStream out) {
    out.print(render(result));
    out.flush();
  }

  private static void table(SuiteResult result, List<String> lines) {
    lines.add("");
    lines.add(String.format("presence.v1 conformance of %s (seed %d, %d scenarios)", result.target(),
        result.seed(), result.scenarios()));
    lines.add("");
    int idWidth = Math.max(ID.length(), result.results().stream()
        .mapToInt(r -> r.requirement().id().length()).max().orElse(0));
    int verdictWidth = Math.max(VERDICT.length(), result.results().stream()
        .mapToInt(r -> verdict(r).length()).max().orElse(0));
    String row = "%-" + idWidth + "s %-" + verdictWidth + "s ";
    int detailColumn = idWidth + 1 + verdictWidth + 1;
    lines.add(String.format(row, ID, VERDICT) + "DETAIL");
    for (RequirementResult r : result.results()) {
      lines.addAll(Wrap.lines(String.format(row, r.requirement().id(), verdict(r)), r.detail(), detailColumn));
    }
  }

  private static String verdict(RequirementResult r) {
    String verdict = r.verdict().label() + (r.knownFailing() ? " (known)" : "");
    if (r.verdict() == Verdict.FLAKY || r.verdict() == Verdict.INCONCLUSIVE) {
      verdict += String.format(" %.0f%%", 100 * r.failure().orElseThrow().failureRate());
    }
    return verdict;
  }

  private static void summary(SuiteResult result, List<String> lines) {
    lines.add("");
    String counts = String.format("%d PASS, %d FAIL, %d FLAKY, %d INCONCLUSIVE, %d EXEMPT, %d SKIPPED, "
        + "%d NOT-APPLICABLE:", result.count(Verdict.PASS), result.count(Verdict.FAIL), result.count(Verdict.FLAKY),
        result.count(Verdict.INCONCLUSIVE), result.count(Verdict.EXEMPT), result.count(Verdict.SKIPPED),
        result.count(Verdict.NOT_APPLICABLE));
    String outcome = result.passed() ? (result.inconclusive()
        ? "CONFORMANT AS FAR AS JUDGED (some timing INCONCLUSIVE)" : "CONFORMANT") : "NOT CONFORMANT";
    // The outcome is the line's point, so it moves to a line of its own rather than break.
    if (counts.length() + 1 + outcome.length() <= Wrap.WIDTH) {
      lines.add(counts + " " + outcome);
    } else {
      lines.add(counts);
      lines.add("  " + outcome);
    }
    for (Verdict verdict : UNJUDGED) {
      Map<String, List<RequirementResult>> byReason = byCount(result.results().stream()
          .filter(r -> r.verdict() == verdict).toList(), RequirementResult::reason);
      String heading = result.count(verdict) + " " + verdict.label() + ": ";
      if (byReason.size() == 1) {
        lines.addAll(Wrap.lines(heading, byReason.keySet().iterator().next(), heading.length()));
      } else if (byReason.size() > 1) {
        lines.add(heading.strip());
        int countWidth = String.valueOf(byReason.values().iterator().next().size()).length();
        byReason.forEach((reason, rules) -> {
          String lead = String.format("  %" + countWidth + "d  ", rules.size());
          lines.addAll(Wrap.lines(lead, reason, lead.length()));
        });
      }
    }
  }

  /** Groups items by a key, the largest group first; groups of one size keep the order of their first item. */
  private static <T> Map<String, List<T>> byCount(List<T> items, Function<T, String> key) {
    Map<String, List<T>> groups = new LinkedHashMap<>();
    items.forEach(item -> groups.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item));
    Map<String, List<T>> sorted = new LinkedHashMap<>();
    groups.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private static void transcripts(SuiteResult result, List<String> lines) {
    if (result.transcripts().isEmpty()) {
      return;
    }
    lines.add("");
    StringBuilder counts = new StringBuilder(result.transcripts().size() + " transcripts:");
    for (TranscriptResult.Outcome outcome : TranscriptResult.Outcome.values()) {
      long n = result.transcripts().stream().filter(t -> t.outcome() == outcome).count();
      counts.append(outcome.ordinal() == 0 ? " " : ", ").append(n).append(' ').append(outcome);
    }
    lines.add(counts.toString());
    for (TranscriptResult.Outcome outcome : List.of(TranscriptResult.Outcome.INCONCLUSIVE,
        TranscriptResult.Outcome.SKIPPED)) {
      byCount(result.transcripts().stream().filter(t -> t.outcome() == outcome).toList(), TranscriptResult::detail)
          .forEach((detail, transcripts) -> lines.addAll(Wrap.lines("  " + outcome + " ", transcripts.stream()
              .map(TranscriptResult::name).collect(Collectors.joining(", ")) + ": " + detail, 4)));
    }
  }

  private static void failures(SuiteResult result, List<String> lines) {
    result.results().stream().filter(r -> r.failsRun() || r.verdict() == Verdict.INCONCLUSIVE).forEach(r -> {
      lines.add("");
      lines.addAll(Wrap.lines("", r.requirement().id() + " " + r.verdict().label() + ": " + r.requirement().text(),
          2));
      if (r.knownFailing() && r.verdict() == Verdict.PASS) {
        lines.add("  listed as known-failing but passed: remove it from the list");
      }
      r.failure().ifPresent(f -> {
        if (!f.violations().contains(r.detail())) {
          lines.addAll(Wrap.lines("  judged on: ", r.detail(), 4));
        }
        f.violations().forEach(v -> lines.addAll(Wrap.lines("  ", v, 4)));
        if (f.minimal() != null) {
          lines.add(String.format("  minimal scenario (seed %d):", f.seed()));
          f.minimal().describe().lines().forEach(line -> lines.add(("    " + line).stripTrailing()));
        }
      });
    });
    result.transcripts().stream().filter(t -> t.outcome() == TranscriptResult.Outcome.FAIL).forEach(t -> {
      lines.add("");
      lines.addAll(Wrap.lines("", "transcript " + t.name() + " (" + String.join(" ", t.rules()) + ") "
          + t.outcome() + ": " + t.detail(), 2));
      t.trace().lines().forEach(line -> lines.add(("    " + line).stripTrailing()));
    });
  }
}
