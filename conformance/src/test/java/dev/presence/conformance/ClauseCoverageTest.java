package dev.presence.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.ClauseCoverage.Clause;
import dev.presence.conformance.ClauseCoverage.Mark;
import dev.presence.conformance.ClauseCoverage.Quoter;
import dev.presence.conformance.cli.RequirementListing;
import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.SpecDocument;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClauseCoverageTest {

  private static final SpecDocument SPEC = SpecDocument.parse("""
      ## 2. Rules

      - **PRS-TST-1** [server] A server MUST send `opened` first. It MUST answer a ping;
        it MUST NOT answer a pong.
      - **PRS-TST-2** [withdrawn] Draft 2: gone.
      - **PRS-TST-3** [client] A client MUST ignore unknown fields.
      """);

  private static List<Clause> clauses(Quoter... quoters) {
    return ClauseCoverage.of(SPEC, List.of(quoters)).rule("PRS-TST-1").orElseThrow().clauses();
  }

  @Test
  void aRuleSplitsIntoItsSentencesAndUnquotedOnesAreNotChecked() {
    assertThat(clauses()).extracting(Clause::sentence, Clause::mark).containsExactly(
        org.assertj.core.groups.Tuple.tuple("A server MUST send opened first.", Mark.NOT_CHECKED),
        org.assertj.core.groups.Tuple.tuple("It MUST answer a ping; it MUST NOT answer a pong.", Mark.NOT_CHECKED));
  }

  @Test
  void aQuoteOfEveryWordChecksTheSentenceEvenWithoutItsFullStop() {
    Clause first = clauses(new Quoter("PRS-TST-1", "OpenedFirst", List.of("A server MUST send opened first"))).get(0);
    assertThat(first.mark()).isEqualTo(Mark.CHECKED);
    assertThat(first.by()).containsExactly("OpenedFirst");
  }

  @Test
  void halfASentenceQuotedIsPartlyCheckedAndShowsOnlyThatHalf() {
    Clause second = clauses(new Quoter("PRS-TST-1", "PingAnswered", List.of("It MUST answer a ping"))).get(1);
    assertThat(second.mark()).isEqualTo(Mark.PARTLY_CHECKED);
    assertThat(second.quoted()).containsExactly("It MUST answer a ping");
    assertThat(second.by()).containsExactly("PingAnswered");
  }

  @Test
  void twoHalvesQuotedByTwoCheckersCheckTheSentenceByBoth() {
    Clause second = clauses(new Quoter("PRS-TST-1", "PongIgnored", List.of("it MUST NOT answer a pong.")),
        new Quoter("PRS-TST-1", "PingAnswered", List.of("It MUST answer a ping;"))).get(1);
    assertThat(second.mark()).isEqualTo(Mark.CHECKED);
    assertThat(second.by()).containsExactly("PingAnswered", "PongIgnored");
  }

  @Test
  void aQuoteAcrossTwoSentencesCoversPartOfEach() {
    List<Clause> both = clauses(new Quoter("PRS-TST-1", "Wide", List.of("opened first. It MUST answer")));
    assertThat(both).extracting(Clause::mark).containsExactly(Mark.PARTLY_CHECKED, Mark.PARTLY_CHECKED);
    assertThat(both.get(0).quoted()).containsExactly("opened first.");
    assertThat(both.get(1).quoted()).containsExactly("It MUST answer");
  }

  @Test
  void aQuoteOfAnotherRuleOrOfNoTextCoversNothing() {
    assertThat(clauses(new Quoter("PRS-TST-3", "Elsewhere", List.of("A server MUST send opened first")),
        new Quoter("PRS-TST-1", "Misquote", List.of("A server MUST send closed first")),
        new Quoter("PRS-TST-1", "Blank", List.of(" "))))
        .extracting(Clause::mark).containsOnly(Mark.NOT_CHECKED);
  }

  @Test
  void withdrawnRulesHaveNoClausesAndTheSummaryCountsEveryMark() {
    ClauseCoverage coverage = ClauseCoverage.of(SPEC, List.of(
        new Quoter("PRS-TST-1", "OpenedFirst", List.of("A server MUST send opened first.")),
        new Quoter("PRS-TST-1", "PingAnswered", List.of("It MUST answer a ping"))));
    assertThat(coverage.rule("PRS-TST-2")).isEmpty();
    assertThat(coverage.summary()).isEqualTo("3 sentences in 2 rules: 1 CHECKED, 1 PARTLY CHECKED, 1 NOT CHECKED");
  }

  @Test
  void everyRuleTheKitChecksHasACheckedSentenceAndNoExemptRuleHasOne() {
    for (ClauseCoverage.RuleClauses rule : ClauseCoverage.kit(SpecDocument.bundled()).rules()) {
      Requirement r = rule.requirement();
      boolean anyChecked = rule.clauses().stream().anyMatch(c -> c.mark() != Mark.NOT_CHECKED);
      boolean checkedByKit = Coverage.scenarioChecked().contains(r.id()) || Coverage.directlyChecked().contains(r.id())
          || Coverage.clientChecked().contains(r.id());
      assertThat(anyChecked).as(r.id() + (checkedByKit ? " is checked by the kit" : " is not")).isEqualTo(checkedByKit);
    }
  }

  @Test
  void theListingMarksEachSentenceAndEndsWithTheCount() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RequirementListing.print(SpecDocument.bundled(), id -> true, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String listing = bytes.toString(StandardCharsets.UTF_8);
    ClauseCoverage coverage = ClauseCoverage.kit(SpecDocument.bundled());

    assertThat(listing).contains("""
        PRS-THR-2   MUST      server: scenarios
            PARTLY CHECKED  For every pair of (user U, session S), a server MUST NOT deliver to S two live events \
        about U less than W apart, measured at the server.
                            checked: "For every pair of (user U, session S), a server MUST NOT deliver to S two live \
        events about U less than W apart" by SpacingChecker
        """);
    assertThat(listing).contains("""
        PRS-OPN-5   MUST      server: scenarios
            CHECKED         A server MUST NOT send any other frame to a session before opened.
                            by FrameRulesChecker
        """);
    assertThat(listing).contains("""
        PRS-THC-4   MUST      client: client case
            CHECKED         A clear MUST be sent at once and MUST discard a pending state.
        """);
    assertThat(listing).contains("    NOT CHECKED     A server SHOULD end a call that has sent no frame within 10 "
        + "seconds of its start with DEADLINE_EXCEEDED, reason OPEN_TIMEOUT.");
    assertThat(listing.strip()).endsWith(coverage.summary());
    assertThat(coverage.count(Mark.CHECKED) + coverage.count(Mark.PARTLY_CHECKED) + coverage.count(Mark.NOT_CHECKED))
        .isEqualTo(coverage.sentences()).isPositive();
  }
}
