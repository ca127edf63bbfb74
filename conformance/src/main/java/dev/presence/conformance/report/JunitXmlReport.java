package dev.presence.conformance.report;

import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.transcript.TranscriptResult;

/**
 * JUnit XML: one testcase per requirement, so that any CI shows the verdicts. JUnit knows only passed, failed and
 * skipped, so every verdict that neither passes nor fails is a skipped testcase whose message starts with the
 * verdict, for example {@code EXEMPT:} apart from {@code SKIPPED:}.
 */
public final class JunitXmlReport {

  private JunitXmlReport() {}

  /** Returns the XML document. */
  public static String render(SuiteResult result) {
    long failures = result.results().stream().filter(RequirementResult::failsRun).count()
        + result.transcripts().stream().filter(t -> t.outcome() == TranscriptResult.Outcome.FAIL).count();
    long skipped = result.count(Verdict.SKIPPED) + result.count(Verdict.NOT_APPLICABLE)
        + result.count(Verdict.INCONCLUSIVE) + result.count(Verdict.EXEMPT) + result.transcripts().stream()
            .filter(t -> t.outcome() == TranscriptResult.Outcome.SKIPPED
                || t.outcome() == TranscriptResult.Outcome.INCONCLUSIVE).count();
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.append(String.format("<testsuite name=\"presence.v1 conformance\" tests=\"%d\" failures=\"%d\" "
        + "errors=\"0\" skipped=\"%d\">%n", result.results().size() + result.transcripts().size(), failures,
        skipped));
    xml.append(String.format("  <properties>%n    <property name=\"target\" value=\"%s\"/>%n"
        + "    <property name=\"seed\" value=\"%d\"/>%n  </properties>%n", escape(result.target()), result.seed()));
    for (RequirementResult r : result.results()) {
      xml.append(String.format("  <testcase classname=\"presence.v1\" name=\"%s\">%n", r.requirement().id()));
      if (r.failsRun()) {
        String message = r.knownFailing() ? "listed as known-failing but passed" : r.verdict().label() + ": "
            + r.detail();
        xml.append(String.format("    <failure message=\"%s\">%s%n%s</failure>%n", escape(message),
            escape(r.requirement().text()), escape(r.failure().map(f -> String.join("\n", f.violations())
                + (f.minimal() == null ? "" : "\n\nminimal scenario:\n" + f.minimal().describe())).orElse(""))));
      } else if (r.verdict() != Verdict.PASS && r.verdict() != Verdict.FAIL && r.verdict() != Verdict.FLAKY) {
        xml.append(String.format("    <skipped message=\"%s\"/>%n", escape(r.verdict().label() + ": " + r.detail())));
      }
      xml.append("  </testcase>\n");
    }
    for (TranscriptResult t : result.transcripts()) {
      xml.append(String.format("  <testcase classname=\"presence.v1.transcripts\" name=\"%s\">%n", escape(t.name())));
      switch (t.outcome()) {
        case FAIL -> xml.append(String.format("    <failure message=\"%s\">%s</failure>%n", escape(t.detail()),
            escape(t.trace())));
        case SKIPPED -> xml.append(String.format("    <skipped message=\"%s\"/>%n", escape(t.detail())));
        case INCONCLUSIVE -> xml.append(String.format("    <skipped message=\"%s\"/>%n",
            escape("INCONCLUSIVE: " + t.detail())));
        case PASS -> { }
      }
      xml.append("  </testcase>\n");
    }
    return xml.append("</testsuite>\n").toString();
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            out.append(String.format("&#x%x;", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
