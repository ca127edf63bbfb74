package dev.presence.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.SpecDocument;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CoverageTest {

  private final SpecDocument spec = SpecDocument.bundled();

  private static Set<String> serverChecked() {
    Set<String> checked = new HashSet<>(Coverage.scenarioChecked());
    checked.addAll(Coverage.directlyChecked());
    return checked;
  }

  private Set<String> live(Predicate<Requirement> binds) {
    Set<String> ids = new TreeSet<>();
    for (Requirement r : spec.requirements()) {
      if (r.level() != Requirement.Level.WITHDRAWN && binds.test(r)) {
        ids.add(r.id());
      }
    }
    return ids;
  }

  @Test
  void everyRuleThatBindsServersIsCheckedOrExemptInServerMode() {
    Set<String> uncovered = live(Requirement::bindsServer);
    uncovered.removeAll(serverChecked());
    uncovered.removeAll(Coverage.exemptions().keySet());
    assertThat(uncovered).as("server rules with neither a server check nor a server exemption").isEmpty();
  }

  @Test
  void everyRuleThatBindsClientsIsCheckedOrExemptInClientMode() {
    Set<String> uncovered = live(Requirement::bindsClient);
    uncovered.removeAll(Coverage.clientChecked());
    uncovered.removeAll(Coverage.clientExemptions().keySet());
    assertThat(uncovered).as("client rules with neither a client check nor a client exemption").isEmpty();
  }

  @Test
  void serverChecksAndExemptionsNameLiveRulesThatBindServers() {
    Set<String> named = serverChecked();
    named.addAll(Coverage.exemptions().keySet());
    named.removeAll(live(Requirement::bindsServer));
    assertThat(named).as("server checks or exemptions of unknown, withdrawn or client-only rules").isEmpty();
  }

  @Test
  void clientChecksAndExemptionsNameLiveRulesThatBindClients() {
    Set<String> named = new TreeSet<>(Coverage.clientChecked());
    named.addAll(Coverage.clientExemptions().keySet());
    named.removeAll(live(Requirement::bindsClient));
    assertThat(named).as("client checks or exemptions of unknown, withdrawn or server-only rules").isEmpty();
  }

  @Test
  void noRuleIsBothCheckedAndExemptOnOneSide() {
    Set<String> server = new TreeSet<>(Coverage.exemptions().keySet());
    server.retainAll(serverChecked());
    Set<String> client = new TreeSet<>(Coverage.clientExemptions().keySet());
    client.retainAll(Coverage.clientChecked());
    assertThat(server).as("server side").isEmpty();
    assertThat(client).as("client side").isEmpty();
  }

  @Test
  void exemptionsGiveReasons() {
    List<String> reasons = new java.util.ArrayList<>(Coverage.exemptions().values());
    reasons.addAll(Coverage.clientExemptions().values());
    assertThat(reasons).allSatisfy(reason -> assertThat(reason).hasSizeGreaterThan(20));
  }
}
