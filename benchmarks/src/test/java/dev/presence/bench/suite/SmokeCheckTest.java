package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeCheckTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private static Point point(LoadResult run) {
    return new Point("matrix", SystemUnderTest.Y_WEBSOCKET, 2, 5, List.of(run), null);
  }

  private static LoadResult delivering() {
    return LoadResult.empty().put("delivered", 40L).put("foreign", 0L).put("faults", 0L);
  }

  @Test
  void aPointThatDeliveredWithinItsRoomsAndCountedNoFaultPasses() {
    assertThat(SmokeCheck.verdict(List.of(point(delivering())), out)).isZero();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("every system works end to end");
  }

  @Test
  void driverFaultsFailTheSmokeWithTheirReasons() {
    LoadResult faulted = delivering().put("faults", 3L).put("fault_reasons", "malformed_message:3");

    assertThat(SmokeCheck.verdict(List.of(point(faulted)), out)).isEqualTo(1);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("y-websocket matrix R=2 N=5 counted driver faults: malformed_message:3");
  }

  @Test
  void statesFromAnotherRoomFailTheSmoke() {
    assertThat(SmokeCheck.verdict(List.of(point(delivering().put("foreign", 1L))), out)).isEqualTo(1);
  }
}
