package dev.presence.conformance.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.conformance.spec.Requirement.Level;
import dev.presence.conformance.spec.Requirement.Party;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class SpecDocumentTest {

  private static final Path REPOSITORY = Path.of(System.getProperty("presence.repository", ".."));

  @Test
  void repositorySpecParsesUnderItsOwnFormat() throws IOException {
    SpecDocument spec = SpecDocument.read(REPOSITORY.resolve("SPEC.md"));

    assertThat(spec.requirements()).hasSizeGreaterThan(50);
    assertThat(spec.requirements()).allSatisfy(rule -> assertThat(rule.parties().isEmpty())
        .as("%s binds a party unless it is a tombstone", rule.id())
        .isEqualTo(rule.level() == Level.WITHDRAWN));
  }

  @Test
  void everyIdentifierTheSpecMentionsIsDefined() throws IOException {
    SpecDocument spec = SpecDocument.read(REPOSITORY.resolve("SPEC.md"));

    Set<String> undefined = new TreeSet<>(spec.referencedIds());
    spec.requirements().forEach(rule -> undefined.remove(rule.id()));

    assertThat(undefined).as("identifiers mentioned but never defined").isEmpty();
  }

  @Test
  void everyIdentifierTheProtoMentionsIsDefined() throws IOException {
    SpecDocument spec = SpecDocument.read(REPOSITORY.resolve("SPEC.md"));
    String proto =
        Files.readString(REPOSITORY.resolve("proto/presence/v1/presence.proto"), StandardCharsets.UTF_8);

    Set<String> undefined = new TreeSet<>();
    Matcher m = SpecDocument.ID.matcher(proto);
    while (m.find()) {
      String mentioned = m.group();
      if (spec.requirement(mentioned).isEmpty()) {
        undefined.add(mentioned);
      }
    }

    assertThat(undefined).as("identifiers in presence.proto missing from SPEC.md").isEmpty();
  }

  @Test
  void extractsIdentifierPartiesLevelAndJoinedText() {
    SpecDocument spec =
        SpecDocument.parse(
            """
            ## 2. Area
            - **PRS-ABC-1** [server, client] A server MUST do one thing
              over two lines.
            - **PRS-ABC-2** [client] A client SHOULD do another.
            - **PRS-ABC-3** [server] A server MAY do a third.
            - **PRS-ABC-4** [withdrawn] Replaced by PRS-ABC-1 in draft 2.
            """);

    assertThat(spec.requirements())
        .extracting(Requirement::id, Requirement::level)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("PRS-ABC-1", Level.MUST),
            org.assertj.core.groups.Tuple.tuple("PRS-ABC-2", Level.SHOULD),
            org.assertj.core.groups.Tuple.tuple("PRS-ABC-3", Level.MAY),
            org.assertj.core.groups.Tuple.tuple("PRS-ABC-4", Level.WITHDRAWN));
    Requirement first = spec.requirement("PRS-ABC-1").orElseThrow();
    assertThat(first.parties()).containsExactly(Party.SERVER, Party.CLIENT);
    assertThat(first.text()).isEqualTo("A server MUST do one thing over two lines.");
  }

  @Test
  void rejectsKeyWordOutsideAnyRule() {
    assertThatThrownBy(() -> SpecDocument.parse("## 2. Area\nA server MUST do this untracked.\n"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("outside an identified rule");
  }

  @Test
  void allowsKeyWordsInTheConventionsSectionAndInCodeFences() {
    SpecDocument spec =
        SpecDocument.parse(
            """
            ## 1. Conventions
            The key words MUST and MAY are defined by BCP 14.
            ## 2. Area
            ```
            - **PRS-XYZ-9** [server] An example that MUST NOT count.
            ```
            """);

    assertThat(spec.requirements()).isEmpty();
  }

  @Test
  void rejectsDuplicateIdentifier() {
    assertThatThrownBy(
            () ->
                SpecDocument.parse(
                    "## 2. A\n- **PRS-ABC-1** [server] MUST a.\n- **PRS-ABC-1** [server] MUST b.\n"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("duplicate identifier PRS-ABC-1");
  }

  @Test
  void rejectsMalformedRuleLine() {
    assertThatThrownBy(() -> SpecDocument.parse("## 2. A\n- **PRS-ABC-1** MUST without a party.\n"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("does not match the format");
  }

  @Test
  void rejectsRuleWithoutKeyWord() {
    assertThatThrownBy(() -> SpecDocument.parse("## 2. A\n- **PRS-ABC-1** [server] Says nothing binding.\n"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("PRS-ABC-1 has no key word");
  }

  @Test
  void rejectsUnknownParty() {
    assertThatThrownBy(() -> SpecDocument.parse("## 2. A\n- **PRS-ABC-1** [proxy] MUST relay.\n"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("unknown party 'proxy'");
  }
}
