package dev.presence.clientadapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presence.conformance.ClientConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kit's client mode catches each {@link FaultyClient} under the rule it breaks, and the correct Java client
 * passes the same rules: a case that cannot tell the two apart checks nothing.
 */
class FaultyClientDetectionTest {

  @ParameterizedTest
  @EnumSource(FaultyClient.class)
  void theKitCatchesTheFaultUnderItsRule(FaultyClient fault) throws InterruptedException {
    String only = System.getProperty("faulty.only", "");
    assumeTrue(only.isEmpty() || List.of(only.split(",")).contains(fault.name()), "-Dfaulty.only=" + only);
    List<String> command = new ArrayList<>(JavaClientConformanceTest.adapterCommand(
        FaultyJavaAdapter.class.getName()));
    command.add(fault.name());
    SuiteResult result = ClientConformanceSuite.builder(command)
        .select(Set.copyOf(fault.selection())::contains)
        .reruns(0)
        .build().run();
    List<RequirementResult> caught = result.results().stream()
        .filter(r -> fault.rules().contains(r.requirement().id()))
        .filter(r -> r.verdict() == Verdict.FAIL || r.verdict() == Verdict.FLAKY).toList();
    result.results().stream().filter(r -> fault.selection().contains(r.requirement().id()))
        .forEach(r -> System.out.printf("%s %s: %s %s: %s%n", fault, fault.description(), r.requirement().id(),
            r.verdict(), r.detail()));

    assertThat(caught).as(fault + " (" + fault.description() + ") caught under one of " + fault.rules())
        .isNotEmpty();
  }

  @Test
  void theCorrectClientPassesEveryRuleTheFaultsAreCaughtUnder() throws InterruptedException {
    Set<String> selection = new TreeSet<>();
    EnumSet.allOf(FaultyClient.class).forEach(f -> selection.addAll(f.selection()));
    SuiteResult result = ClientConformanceSuite.builder(
            JavaClientConformanceTest.adapterCommand(JavaClientAdapter.class.getName()))
        .select(selection::contains)
        .build().run();

    assertThat(result.results()).filteredOn(r -> selection.contains(r.requirement().id()))
        .filteredOn(RequirementResult::failsRun)
        .extracting(r -> r.requirement().id() + " " + r.verdict() + ": " + r.detail()).isEmpty();
  }
}
