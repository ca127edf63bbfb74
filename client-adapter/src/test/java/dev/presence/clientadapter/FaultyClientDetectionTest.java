package dev.presence.clientadapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presence.conformance.ClientConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.cases.ClientCases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kit's client mode catches each {@link FaultyClient} under the rule it breaks. Each fault runs only the cases
 * of its rules (and of the rules that carry it there), with no scenarios and no re-runs, so that a miss is the
 * case's and not chance's; {@link JavaClientConformanceTest} shows the correct client passes every one of them.
 */
class FaultyClientDetectionTest {

  /** Faults whose rules have many cases run only the ones aimed at them, to keep the build short. */
  private static final Map<FaultyClient, String> CASE_NAMES = Map.of(
      FaultyClient.RETRIES_AFTER_UNAUTHENTICATED, "UNAUTHENTICATED",
      FaultyClient.NO_BACKOFF, "UNAVAILABLE");

  @ParameterizedTest
  @EnumSource(value = FaultyClient.class, names = "SEED_ONLY", mode = EnumSource.Mode.EXCLUDE)
  void theKitCatchesTheFaultUnderItsRule(FaultyClient fault) throws InterruptedException {
    String only = System.getProperty("faulty.only", "");
    assumeTrue(only.isEmpty() || List.of(only.split(",")).contains(fault.name()), "-Dfaulty.only=" + only);
    List<String> command = new ArrayList<>(JavaClientConformanceTest.adapterCommand(
        FaultyJavaAdapter.class.getName()));
    command.add(fault.name());
    String named = CASE_NAMES.getOrDefault(fault, "");
    List<ClientCase> cases = ClientCases.all().stream()
        .filter(c -> fault.selection().contains(c.requirementId()) && c.name().contains(named)).toList();
    SuiteResult result = ClientConformanceSuite.builder(command)
        .cases(cases)
        .scenarios(0)
        .reruns(0)
        .build().run();
    List<RequirementResult> caught = result.results().stream()
        .filter(r -> fault.rules().contains(r.requirement().id()))
        .filter(r -> r.verdict() == Verdict.FAIL || r.verdict() == Verdict.FLAKY).toList();
    result.results().stream().filter(r -> fault.selection().contains(r.requirement().id()))
        .forEach(r -> System.out.printf("%s %s: %s %s: %s%n", fault, fault.description(), r.requirement().id(),
            r.verdict(), r.detail()));

    assertThat(cases).as("cases that can catch " + fault).isNotEmpty();
    assertThat(caught).as(fault + " (" + fault.description() + ") caught under one of " + fault.rules())
        .isNotEmpty();
  }

  @Test
  void anSdkWithOnlyTheSeedsApiIsNotApplicableWhereItLacksAndJudgedElsewhere() throws InterruptedException {
    List<String> command = new ArrayList<>(JavaClientConformanceTest.adapterCommand(
        FaultyJavaAdapter.class.getName()));
    command.add(FaultyClient.SEED_ONLY.name());
    Set<String> rules = Set.of("PRS-LIV-9", "PRS-RCN-9", "PRS-SUB-1", "PRS-EVT-4", "PRS-EVT-3");
    SuiteResult result = ClientConformanceSuite.builder(command)
        .select(rules::contains)
        .scenarios(2)
        .reruns(0)
        .build().run();
    Map<String, Verdict> verdicts = new TreeMap<>();
    result.results().stream().filter(r -> rules.contains(r.requirement().id()))
        .forEach(r -> verdicts.put(r.requirement().id(), r.verdict()));

    assertThat(verdicts).containsEntry("PRS-LIV-9", Verdict.NOT_APPLICABLE)
        .containsEntry("PRS-RCN-9", Verdict.NOT_APPLICABLE).containsEntry("PRS-SUB-1", Verdict.NOT_APPLICABLE)
        .containsEntry("PRS-EVT-4", Verdict.PASS).containsEntry("PRS-EVT-3", Verdict.PASS);
    assertThat(result.scenarios()).isEqualTo(2);
  }
}
