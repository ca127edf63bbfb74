package dev.presence.conformance.report;

import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;

/**
 * A self-contained HTML page: the requirement text, the verdict and, for failures, the minimal scenario and its
 * wire trace. No scripts, no external resources.
 */
public final class HtmlReport {

  private HtmlReport() {}

  /** Returns the page. */
  public static String render(SuiteResult result) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>presence.v1 conformance</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:2em;max-width:80em}")
        .append("table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4em;")
        .append("text-align:left;vertical-align:top}.PASS{color:#176b2c}.FAIL{color:#b00020;font-weight:bold}")
        .append(".FLAKY{color:#b35c00;font-weight:bold}.INCONCLUSIVE{color:#6a4c93}")
        .append(".EXEMPT{color:#1f5f8b;font-style:italic}.SKIPPED,.NOT-APPLICABLE{color:#777}")
        .append("pre{background:#f6f6f6;padding:.6em;overflow:auto;font-size:12px}")
        .append("</style></head><body>\n");
    html.append(String.format("<h1>presence.v1 conformance: %s</h1>%n", result.passed()
        ? (result.inconclusive() ? "conformant as far as judged" : "conformant") : "not conformant"));
    html.append(String.format("<p>Target <code>%s</code>, seed <code>%d</code>, %d scenarios. %d pass, %d fail, "
        + "%d flaky, %d inconclusive, %d exempt, %d skipped, %d not applicable.</p>%n", esc(result.target()),
        result.seed(), result.scenarios(), result.count(Verdict.PASS), result.count(Verdict.FAIL),
        result.count(Verdict.FLAKY), result.count(Verdict.INCONCLUSIVE), result.count(Verdict.EXEMPT),
        result.count(Verdict.SKIPPED), result.count(Verdict.NOT_APPLICABLE)));
    html.append("<table><tr><th>Requirement</th><th>Verdict</th><th>Text and evidence</th></tr>\n");
    for (RequirementResult r : result.results()) {
      String label = r.verdict().label();
      html.append(String.format("<tr id=\"%s\"><td><code>%s</code></td><td class=\"%s\">%s%s</td><td>%s"
          + "<br><small>%s</small>", r.requirement().id(), r.requirement().id(), label, label,
          r.knownFailing() ? " (known)" : "", esc(r.requirement().text()), esc(r.detail())));
      r.failure().ifPresent(f -> {
        html.append("<details open><summary>Evidence</summary><ul>");
        f.violations().forEach(v -> html.append("<li>").append(esc(v)).append("</li>"));
        html.append("</ul>");
        if (f.minimal() != null) {
          html.append(String.format("<p>Minimal scenario (seed %d, failed %d of %d runs):</p><pre>%s</pre>",
              f.seed(), f.failedRuns(), f.runs(), esc(f.minimal().describe())));
        }
        html.append("<p>Wire trace:</p><pre>").append(esc(f.trace())).append("</pre></details>");
      });
      html.append("</td></tr>\n");
    }
    return html.append("</table></body></html>\n").toString();
  }

  private static String esc(String s) {
    return JunitXmlReport.escape(s);
  }
}
