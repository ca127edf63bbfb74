package dev.presence.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.directed.NotApplicable;
import dev.presence.conformance.report.ConsoleReport;
import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.SpecDocument;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every verdict that judges nothing says why, and the console counts the rules behind each reason. */
class SkipReasonTest {

  private static final List<Verdict> UNJUDGED = List.of(Verdict.EXEMPT, Verdict.SKIPPED, Verdict.NOT_APPLICABLE);

  @Test
  void everyUnjudgedVerdictHasAReasonAndTheConsoleCountsEach() throws InterruptedException {
    ManagedChannel unused = Grpc.newChannelBuilder("localhost:1", InsecureChannelCredentials.create()).build();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    try {
      SuiteResult run = ConformanceSuite.builder(unused).select(id -> false)
          .progress(new PrintStream(progress, true, StandardCharsets.UTF_8)).build().run();

      List<RequirementResult> unjudged = run.results().stream().filter(r -> UNJUDGED.contains(r.verdict()))
          .toList();
      assertThat(unjudged).isNotEmpty().allSatisfy(r -> assertThat(r.reason()).isNotBlank());
      String console = ConsoleReport.render(run);
      for (Verdict verdict : UNJUDGED) {
        Map<String, Long> counts = unjudged.stream().filter(r -> r.verdict() == verdict)
            .collect(Collectors.groupingBy(RequirementResult::reason, Collectors.counting()));
        counts.forEach((reason, n) -> assertThat(console).containsPattern(counts.size() == 1
            ? n + " " + verdict.label() + ": " + java.util.regex.Pattern.quote(reason)
            : "\n +" + n + "  " + java.util.regex.Pattern.quote(reason)));
      }
      assertThat(progress.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
    } finally {
      unused.shutdownNow();
    }
  }

  @Test
  void anExemptRuleCountsUnderItsKindAndShowsItsOwnReason() {
    RequirementResult r = Party.SERVER.unfailed(requirement("PRS-DRN-3"), id -> true, Set.of(), null, null);

    assertThat(r.verdict()).isEqualTo(Verdict.EXEMPT);
    assertThat(r.detail()).isEqualTo(Coverage.exemption("PRS-DRN-3").orElseThrow());
    assertThat(r.reason()).isEqualTo(Coverage.NEEDS_THE_PROCESS)
        .isEqualTo(Party.SERVER.unfailed(requirement("PRS-END-5"), id -> true, Set.of(), null, null).reason());
  }

  @Test
  void casesThatCouldNotApplyForOneReasonSayItOnce() {
    List<Party.Unchecked> notChecked = List.of(
        Party.Unchecked.of("", NotApplicable.unchecked("that an expired token is refused", "no tokens")),
        Party.Unchecked.of("", NotApplicable.unchecked("that a forged token is refused", "no tokens")),
        Party.Unchecked.of("", NotApplicable.unchecked("that a forged token is refused", "no tokens")));

    RequirementResult r = Party.SERVER.unfailed(requirement("PRS-IDN-2"), id -> true, Set.of(), null, notChecked);

    assertThat(r.verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
    assertThat(r.reason()).isEqualTo("no tokens");
    assertThat(r.detail()).isEqualTo("not checked: that an expired token is refused, since no tokens; "
        + "not checked: that a forged token is refused, since no tokens");
  }

  private static Requirement requirement(String id) {
    return SpecDocument.bundled().requirement(id).orElseThrow();
  }
}
