package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.SystemUnderTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchesTest {
  private final Launches launches = new Launches(Path.of("repo"));

  @Test
  void oneReferenceServerServesBothBindingsEachOnItsPort() {
    Map<SystemUnderTest, String> ports = Map.of(SystemUnderTest.PRESENCE, "5001", SystemUnderTest.PRESENCE_WS, "5002");

    assertThat(Launches.servedTogether(SystemUnderTest.PRESENCE_WS))
        .containsExactly(SystemUnderTest.PRESENCE, SystemUnderTest.PRESENCE_WS);
    assertThat(launches.server(SystemUnderTest.PRESENCE_WS, ports::get))
        .isEqualTo(launches.server(SystemUnderTest.PRESENCE, ports::get))
        .containsSubsequence("--port", "5001", "--ws-port", "5002");
  }

  @Test
  void everyOtherSystemHasAProcessOfItsOwn() {
    for (SystemUnderTest s : SystemUnderTest.values()) {
      if (s != SystemUnderTest.PRESENCE && s != SystemUnderTest.PRESENCE_WS) {
        assertThat(Launches.servedTogether(s)).containsExactly(s);
        assertThat(launches.server(s, x -> "5003")).containsSubsequence("--port", "5003");
      }
    }
  }
}
