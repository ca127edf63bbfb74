package dev.presence.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.presence.conformance.report.ConsoleReport;
import dev.presence.conformance.report.HtmlReport;
import dev.presence.conformance.report.JsonReport;
import dev.presence.conformance.report.JunitXmlReport;
import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.SpecDocument;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An exempt rule gets EXEMPT with the exemption's reason, and every report tells it apart from SKIPPED. */
class ExemptVerdictReportTest {

  private static final String REASON = Coverage.exemption("PRS-STA-6").orElseThrow();

  private static RequirementResult result(String id, Verdict verdict, String detail) {
    Requirement r = SpecDocument.bundled().requirement(id).orElseThrow();
    return new RequirementResult(r, verdict, detail, Optional.empty(), false);
  }

  private static final SuiteResult RESULT = new SuiteResult("a server", 7, 0, List.of(
      result("PRS-STA-6", Verdict.EXEMPT, REASON),
      result("PRS-STA-1", Verdict.SKIPPED, "not selected"),
      result("PRS-STA-2", Verdict.SKIPPED, "not exercised by this run")));

  @Test
  void theSuiteGivesExemptRulesExemptWithTheirReasonAndDeselectedOnesSkipped() throws InterruptedException {
    ManagedChannel unused = Grpc.newChannelBuilder("localhost:1", InsecureChannelCredentials.create()).build();
    try {
      SuiteResult run = ConformanceSuite.builder(unused).select(id -> false)
          .progress(new PrintStream(OutputStream.nullOutputStream())).build().run();
      RequirementResult exempt = run.results().stream().filter(r -> r.requirement().id().equals("PRS-STA-6"))
          .findFirst().orElseThrow();
      RequirementResult skipped = run.results().stream().filter(r -> r.requirement().id().equals("PRS-STA-1"))
          .findFirst().orElseThrow();
      assertThat(exempt.verdict()).isEqualTo(Verdict.EXEMPT);
      assertThat(exempt.detail()).isEqualTo(REASON);
      assertThat(skipped.verdict()).isEqualTo(Verdict.SKIPPED);
      assertThat(run.count(Verdict.EXEMPT)).isEqualTo(Coverage.exemptions().keySet().stream()
          .filter(id -> SpecDocument.bundled().requirement(id).orElseThrow().bindsServer()).count());
      assertThat(run.passed()).isTrue();
    } finally {
      unused.shutdownNow();
    }
  }

  @Test
  void theConsoleShowsExemptRowsAndCountsThemApart() {
    String console = ConsoleReport.render(RESULT);
    assertThat(console).containsPattern("PRS-STA-6 +EXEMPT +Persistence and logging")
        .containsPattern("PRS-STA-1 +SKIPPED +not selected")
        .contains("1 EXEMPT, 2 SKIPPED");
  }

  @Test
  void junitXmlSkipsExemptRulesWithTheirOwnVerdictAndReason() {
    String xml = JunitXmlReport.render(RESULT);
    assertThat(xml).contains("<skipped message=\"EXEMPT: " + REASON + "\"/>")
        .contains("<skipped message=\"SKIPPED: not selected\"/>")
        .contains("skipped=\"3\"");
  }

  @Test
  void jsonGivesTheVerdictAndCountsEveryVerdict() throws Exception {
    Struct.Builder json = Struct.newBuilder();
    JsonFormat.parser().merge(JsonReport.render(RESULT), json);
    Struct counts = json.getFieldsOrThrow("counts").getStructValue();
    for (Verdict v : Verdict.values()) {
      assertThat(counts.getFieldsMap()).as("count of " + v.label()).containsKey(v.label());
    }
    assertThat(counts.getFieldsOrThrow("EXEMPT").getNumberValue()).isEqualTo(1);
    assertThat(counts.getFieldsOrThrow("SKIPPED").getNumberValue()).isEqualTo(2);
    Struct first = json.getFieldsOrThrow("requirements").getListValue().getValues(0).getStructValue();
    assertThat(first.getFieldsOrThrow("verdict").getStringValue()).isEqualTo("EXEMPT");
    assertThat(first.getFieldsOrThrow("detail").getStringValue()).isEqualTo(REASON);
  }

  @Test
  void htmlStylesExemptApartFromSkippedAndCountsIt() {
    String html = HtmlReport.render(RESULT);
    assertThat(html).contains("<td class=\"EXEMPT\">EXEMPT</td>").contains("<td class=\"SKIPPED\">SKIPPED</td>")
        .contains("1 exempt, 2 skipped").containsPattern("\\.EXEMPT\\{[^}]+\\}");
    assertThat(html).doesNotContainPattern("\\.EXEMPT,|,\\.EXEMPT");
  }
}
