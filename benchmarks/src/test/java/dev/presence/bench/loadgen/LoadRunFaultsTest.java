package dev.presence.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LoadRunFaultsTest {
  @Test
  void faultsBecomeATotalAndReasonsThatSurviveTheResultLine() {
    Map<String, Long> faults = new TreeMap<>(Map.of(
        "call ended by the server: INTERNAL", 2L, "state dropped: too many sends wait for the socket", 5L));
    LoadResult result = LoadResult.empty();

    LoadRun.putFaults(result, faults);
    LoadResult parsed = LoadResult.parse(result.toLine());

    assertThat(parsed.number("faults")).isEqualTo(7);
    assertThat(parsed.text("fault_reasons"))
        .isEqualTo("call_ended_by_the_server_INTERNAL:2;state_dropped_too_many_sends_wait_for_the_socket:5");
  }

  @Test
  void aCleanRunSaysZeroAndNamesNoReason() {
    LoadResult result = LoadResult.empty();

    LoadRun.putFaults(result, Map.of());

    assertThat(result.number("faults")).isZero();
    assertThat(result.text("fault_reasons")).isNull();
  }
}
