package dev.presence.conformance.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuleTextTest {

  @Test
  void normalizeDropsCodeSpansEmphasisAndLineBreaks() {
    assertThat(RuleText.normalize("  The first client frame MUST be\n   `open`. This mode is **insecure**:  any *one* "))
        .isEqualTo("The first client frame MUST be open. This mode is insecure: any one");
  }

  @Test
  void normalizeKeepsUnderscoresInsideNames() {
    assertThat(RuleText.normalize("`Limits.max_state_bytes` and the `ERROR_REASON_` prefix"))
        .isEqualTo("Limits.max_state_bytes and the ERROR_REASON_ prefix");
  }

  @Test
  void sentencesEndAtFullStopsFollowedBySpace() {
    assertThat(RuleText.sentences("A server MUST do `presence.v1` things; it MUST NOT stop. Then §7.2 applies!"
        + "  Does it? Yes."))
        .containsExactly("A server MUST do presence.v1 things; it MUST NOT stop.", "Then §7.2 applies!",
            "Does it?", "Yes.");
  }

  @Test
  void aParentheticalSentenceIsOneSentence() {
    assertThat(RuleText.sentences("Its own user included. (An application compares `userId` with its own.) Done."))
        .containsExactly("Its own user included.", "(An application compares userId with its own.)", "Done.");
  }

  @Test
  void blankTextHasNoSentences() {
    assertThat(RuleText.sentences(" \n ")).isEmpty();
  }

  @Test
  void quotesMatchAcrossMarkdownAndLineBreaks() {
    String rule = "A larger frame MUST end the call with `RESOURCE_EXHAUSTED`, reason\n  `FRAME_TOO_LARGE`.";
    assertThat(RuleText.quotes(rule, "end the call with RESOURCE_EXHAUSTED, reason FRAME_TOO_LARGE")).isTrue();
    assertThat(RuleText.quotes(rule, "end the call with INTERNAL")).isFalse();
    assertThat(RuleText.quotes(rule, "  ")).isFalse();
  }

  @Test
  void everyRuleOfTheBundledSpecSplitsIntoSentencesThatRebuildIt() {
    for (Requirement r : SpecDocument.bundled().requirements()) {
      assertThat(String.join(" ", RuleText.sentences(r.text()))).as(r.id()).isEqualTo(RuleText.normalize(r.text()));
      assertThat(RuleText.sentences(r.text())).as(r.id())
          .allSatisfy(s -> assertThat(s).matches("^[\"(]?[A-Za-z0-9].*[.!?][)\"]?$"));
    }
  }
}
