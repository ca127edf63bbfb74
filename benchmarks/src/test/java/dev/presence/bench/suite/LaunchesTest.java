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
      if (s != SystemUnderTest.PRESENCE && s != SystemUnderTest.PRESENCE_WS && s != SystemUnderTest.PRESENCE_CLUSTER) {
        assertThat(Launches.servedTogether(s)).containsExactly(s);
        assertThat(launches.server(s, x -> "5003")).containsSubsequence("--port", "5003");
      }
    }
  }

  @Test
  void aClusterNodeIsTheSingleNodesCommandJoinedToRedis() {
    Map<SystemUnderTest, String> ports = Map.of(SystemUnderTest.PRESENCE, "5001", SystemUnderTest.PRESENCE_WS, "5002");

    assertThat(launches.clusterNode("5001", "5002", "6400"))
        .startsWith(launches.server(SystemUnderTest.PRESENCE, ports::get).toArray(String[]::new))
        .endsWith("--cluster", "redis://127.0.0.1:6400");
    assertThat(launches.redis("6400")).containsSubsequence("redis-server", "--port", "6400");
  }
}
