package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.SystemUnderTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlierRunTest {
  private static final List<String> CSV = List.of(
      "experiment,system,run,failure,rooms,users,server_cpu_us_per_delivery",
      "matrix,presence,1,,40,5,1.5",
      "matrix,presence,2,,40,5,1.7",
      "matrix,presence,1,,20,10,1.1",
      "cluster,presence-cluster,0,\"cluster did not start: no redis-server\",20,10,",
      "cluster,presence,1,,20,10,0.9");

  @Test
  void readsPointsBackRunByRun() {
    List<Point> points = EarlierRun.parse(CSV);

    assertThat(points).extracting(Point::experiment, Point::system, Point::users, p -> p.runs().size())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("matrix", SystemUnderTest.PRESENCE, 5, 2),
            org.assertj.core.groups.Tuple.tuple("matrix", SystemUnderTest.PRESENCE, 10, 1),
            org.assertj.core.groups.Tuple.tuple("cluster", SystemUnderTest.PRESENCE_CLUSTER, 10, 0),
            org.assertj.core.groups.Tuple.tuple("cluster", SystemUnderTest.PRESENCE, 10, 1));
    assertThat(points.get(0).median("server_cpu_us_per_delivery")).isEqualTo(1.6);
    assertThat(points.get(2).failure()).isEqualTo("cluster did not start: no redis-server");
    assertThat(points).allMatch(Point::fromEarlierRun);
  }

  @Test
  void aMergeReplacesOnlyTheExperimentsAndSystemsMeasuredAgain() {
    EarlierRun earlier = new EarlierRun("benchmarks/run", "full", "yesterday", java.util.Map.of(), EarlierRun.parse(CSV));
    Point fresh = new Point("cluster", SystemUnderTest.PRESENCE_CLUSTER, 20, 10, List.of(), "again");

    List<Point> merged = earlier.mergedWith(List.of(fresh));

    assertThat(merged).hasSize(4).endsWith(fresh);
    assertThat(merged.subList(0, 3)).allMatch(Point::fromEarlierRun)
        .noneMatch(p -> p.system() == SystemUnderTest.PRESENCE_CLUSTER);
  }

  @Test
  void keepsTheEarlierMachineTable() {
    assertThat(EarlierRun.environment(List.of("## Machine and versions", "", "| | |", "|---|---|",
        "| CPU | some cpu, 2 cores |", "| Date | yesterday |", "", "## Commands", "| not | this |")))
        .containsExactly(java.util.Map.entry("CPU", "some cpu, 2 cores"), java.util.Map.entry("Date", "yesterday"));
  }
}
