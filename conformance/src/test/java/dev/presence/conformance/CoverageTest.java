package dev.presence.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.SpecDocument;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CoverageTest {

  private final SpecDocument spec = SpecDocument.bundled();

  private static boolean covered(String id) {
    return Coverage.scenarioChecked().contains(id) || Coverage.directlyChecked().contains(id)
        || Coverage.exemption(id).isPresent();
  }

  @Test
  void everyRequirementIsCheckedOrExemptWithAReason() {
    Set<String> uncovered = new TreeSet<>();
    for (Requirement r : spec.requirements()) {
      if (r.level() != Requirement.Level.WITHDRAWN && !covered(r.id())) {
        uncovered.add(r.id());
      }
    }
    assertThat(uncovered).as("requirements, server or client, with neither a check nor an exemption").isEmpty();
  }

  @Test
  void checksAndServerExemptionsNameLiveRequirementsThatBindServers() {
    Set<String> named = new HashSet<>(Coverage.scenarioChecked());
    named.addAll(Coverage.directlyChecked());
    named.addAll(Coverage.exemptions().keySet());
    named.removeAll(Coverage.clientRules());

    List<String> stray = named.stream()
        .filter(id -> spec.requirement(id).map(r -> !r.bindsServer() || r.level() == Requirement.Level.WITHDRAWN)
            .orElse(true))
        .sorted().toList();

    assertThat(stray).as("checks or exemptions for unknown, withdrawn or client-only requirements").isEmpty();
  }

  @Test
  void theClientReasonExemptsOnlyRulesThatBindClientsAlone() {
    List<String> wrong = Coverage.clientRules().stream()
        .filter(id -> spec.requirement(id).map(r -> r.bindsServer() || !r.bindsClient()).orElse(true))
        .sorted().toList();

    assertThat(wrong).as("client exemptions for unknown requirements or ones that bind servers").isEmpty();
  }

  @Test
  void noRequirementIsBothCheckedAndExempt() {
    Set<String> both = new TreeSet<>(Coverage.exemptions().keySet());
    Set<String> checked = new HashSet<>(Coverage.scenarioChecked());
    checked.addAll(Coverage.directlyChecked());
    both.retainAll(checked);

    assertThat(both).isEmpty();
  }

  @Test
  void exemptionsGiveReasons() {
    assertThat(Coverage.exemptions().values()).allSatisfy(reason -> assertThat(reason).hasSizeGreaterThan(20));
  }
}
