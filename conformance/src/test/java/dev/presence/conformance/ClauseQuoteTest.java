package dev.presence.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.check.Checker;
import dev.presence.conformance.check.Checkers;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.cases.ClientCases;
import dev.presence.conformance.directed.DirectedCase;
import dev.presence.conformance.directed.DirectedCases;
import dev.presence.conformance.spec.RuleText;
import dev.presence.conformance.spec.SpecDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every checker, directed case and client case quotes, word for word, the clauses of its rule that it enforces. */
class ClauseQuoteTest {

  private final SpecDocument spec = SpecDocument.bundled();

  @Test
  void everyCheckerQuotesItsOwnRule() {
    List<String> problems = new ArrayList<>();
    for (Checker c : Checkers.all()) {
      problems.addAll(problems(c.getClass().getSimpleName() + " of " + c.requirementId(), c.requirementId(),
          c.clauses()));
    }
    assertThat(problems).as("checker quotes that are empty or not in their rule's text").isEmpty();
  }

  @Test
  void everyDirectedCaseQuotesItsOwnRule() {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (DirectedCase c : DirectedCases.all()) {
      int n = seen.merge(c.requirementId(), 1, Integer::sum);
      problems.addAll(problems("directed case " + n + " of " + c.requirementId(), c.requirementId(), c.clauses()));
    }
    assertThat(problems).as("directed case quotes that are empty or not in their rule's text").isEmpty();
  }

  @Test
  void everyClientCaseQuotesItsOwnRule() {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (ClientCase c : ClientCases.all()) {
      int n = seen.merge(c.requirementId(), 1, Integer::sum);
      problems.addAll(problems("client case " + n + " of " + c.requirementId() + " (" + c.name() + ")",
          c.requirementId(), c.clauses()));
    }
    assertThat(problems).as("client case quotes that are empty or not in their rule's text").isEmpty();
  }

  @Test
  void aMisquoteIsNamedWithItsOwnerAndQuote() {
    assertThat(problems("SomeChecker of PRS-SES-4", "PRS-SES-4", List.of("the server MUST deliver a null")))
        .singleElement().asString().contains("SomeChecker of PRS-SES-4", "'the server MUST deliver a null'");
    assertThat(problems("SomeChecker of PRS-SES-4", "PRS-SES-4", List.of())).singleElement().asString()
        .contains("quotes no clause");
    assertThat(problems("a case of PRS-SES-4", "PRS-SES-4", List.of(" "))).singleElement().asString()
        .contains("empty quote");
  }

  @Test
  void aQuoteThatAppearsTwiceInItsRuleIsAmbiguous() {
    assertThat(problems("a case of PRS-STA-7", "PRS-STA-7", List.of("MUST")))
        .singleElement().asString().contains("more than once");
  }

  @Test
  void aQuoteMatchesAcrossMarkdownAndLineBreaks() {
    assertThat(problems("a case of PRS-OPN-5", "PRS-OPN-5",
        List.of("A server MUST NOT send any other frame to a session before opened."))).isEmpty();
  }

  /** A quote found more than once could not say which sentence it covers, so it must be unique in its rule. */
  private List<String> problems(String owner, String requirementId, List<String> clauses) {
    List<String> problems = new ArrayList<>();
    String text = spec.requirement(requirementId).orElseThrow().text();
    if (clauses.isEmpty()) {
      problems.add(owner + " quotes no clause");
    }
    String normal = RuleText.normalize(text);
    for (String quote : clauses) {
      String q = RuleText.normalize(quote);
      if (q.isEmpty()) {
        problems.add(owner + ": empty quote");
      } else if (!RuleText.quotes(text, quote)) {
        problems.add(owner + ": '" + quote + "' is not in the text of " + requirementId);
      } else if (normal.indexOf(q) != normal.lastIndexOf(q)) {
        problems.add(owner + ": '" + quote + "' appears more than once in " + requirementId);
      }
    }
    return problems;
  }
}
