package dev.presence.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultCountsTest {
  @Test
  void faultsAddUpUnderTheirReasonWhateverTheDetail() {
    FaultCounts faults = new FaultCounts("test");

    faults.report("session ended by the server", "WebSocket close status 1011", null);
    faults.report("session ended by the server", "WebSocket close status 1001", null);
    faults.report("connection failed", null, new java.io.IOException("reset"));

    assertThat(faults.snapshot())
        .containsExactly(Map.entry("connection failed", 1L), Map.entry("session ended by the server", 2L));
  }

  @Test
  void nothingIsCountedOnceTheDriverIsClosing() {
    FaultCounts faults = new FaultCounts("test");
    faults.report("call ended by the server: INTERNAL");

    faults.closing();
    faults.report("call ended by the server: CANCELLED");

    assertThat(faults.snapshot()).containsExactly(Map.entry("call ended by the server: INTERNAL", 1L));
  }

  @Test
  void aCleanDriverHasNoFaults() {
    assertThat(new FaultCounts("test").snapshot()).isEmpty();
  }
}
