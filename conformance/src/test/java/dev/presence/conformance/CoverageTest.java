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

  @Test
  void everyServerRequirementIsCheckedOrExemptWithAReason() {
    Set<String> uncovered = new TreeSet<>();
    for (Requirement r : spec.requirements()) {
      boolean covered = Coverage.scenarioChecked().contains(r.id()) || Coverage.directlyChecked().contains(r.id())
          || Coverage.exemption(r.id()).isPresent();
      if (r.bindsServer() && !covered) {
        uncovered.add(r.id());
      }
    }
    assertThat(uncovered).as("server requirements with neither a check nor an exemption").isEmpty();
  }

  @Test
  void everyCheckAndExemptionNamesARequirementThatBindsServers() {
    Set<String> named = new HashSet<>(Coverage.scenarioChecked());
    named.addAll(Coverage.directlyChecked());
    named.addAll(Coverage.exemptions().keySet());

    List<String> stray = named.stream()
        .filter(id -> spec.requirement(id).map(r -> !r.bindsServer()).orElse(true))
        .sorted().toList();

    assertThat(stray).as("checks or exemptions for unknown or client-only requirements").isEmpty();
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
