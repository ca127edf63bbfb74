package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.presence.bench.driver.SystemUnderTest;
import java.util.List;
import java.util.Map;
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
    EarlierRun earlier = new EarlierRun("benchmarks/run", "full", "yesterday", java.util.Map.of(), List.of(),
        EarlierRun.parse(CSV));
    Point fresh = new Point("cluster", SystemUnderTest.PRESENCE_CLUSTER, 20, 10, List.of(), "again");

    List<Point> merged = earlier.mergedWith(List.of(fresh));

    assertThat(merged).hasSize(4).endsWith(fresh);
    assertThat(merged.subList(0, 3)).allMatch(Point::fromEarlierRun)
        .noneMatch(p -> p.system() == SystemUnderTest.PRESENCE_CLUSTER);
  }

  @Test
  void keepsTheEarlierMachineTable() {
    assertThat(EarlierRun.environments(List.of("## Machine and versions", "", "| | |", "|---|---|",
        "| CPU | some cpu, 2 cores |", "| Date | yesterday |", "", "## Commands", "| not | this |")))
        .containsExactly(Map.of("CPU", "some cpu, 2 cores", "Date", "yesterday"));
  }

  private static final List<String> TWICE_MERGED = List.of(
      "# Benchmarks",
      "",
      "Written by `benchmarks/run` (profile `full`) on day 1; the points of `benchmarks/run --experiments capacity "
          + "--merge` (capacity presence, overload presence) replaced the earlier ones on day 2; the points of "
          + "`benchmarks/run --experiments matrix --merge` (matrix presence) replaced the earlier ones on day 3. "
          + "Each table's numbers come from one run on one machine.",
      "",
      "## Machine and versions",
      "",
      "The earlier run:",
      "",
      "| | |",
      "|---|---|",
      "| Commit | aaa |",
      "| Date | day 1 |",
      "",
      "The points of `benchmarks/run --experiments capacity --merge` (capacity presence, overload presence):",
      "",
      "| | |",
      "|---|---|",
      "| Commit | bbb |",
      "| Date | day 2 |",
      "",
      "The points of `benchmarks/run --experiments matrix --merge` (matrix presence):",
      "",
      "| | |",
      "|---|---|",
      "| Commit | ccc |",
      "| Date | day 3 |",
      "",
      "## Commands");

  @Test
  void readsEveryMergeOfAReportWithTheMachineItRanOn() {
    EarlierRun earlier = EarlierRun.header(TWICE_MERGED, List.of()).orElseThrow();

    assertThat(earlier.command()).isEqualTo("benchmarks/run");
    assertThat(earlier.date()).isEqualTo("day 1");
    assertThat(earlier.environment()).containsEntry("Commit", "aaa");
    assertThat(earlier.merges()).extracting(Merge::command, Merge::points, Merge::date, m -> m.environment().get("Commit"))
        .containsExactly(
            tuple("benchmarks/run --experiments capacity --merge", List.of("capacity presence", "overload presence"),
                "day 2", "bbb"),
            tuple("benchmarks/run --experiments matrix --merge", List.of("matrix presence"), "day 3", "ccc"));
  }

  @Test
  void aNewMergeLeavesOutTheEarlierMergesPointsItMeasuredAgain() {
    EarlierRun earlier = EarlierRun.header(TWICE_MERGED, List.of()).orElseThrow();
    Point capacity = new Point("capacity", SystemUnderTest.PRESENCE, 4, 50, List.of(), "again");
    Point matrix = new Point("matrix", SystemUnderTest.PRESENCE, 4, 50, List.of(), "again");

    assertThat(earlier.mergesKeptBeside(List.of(capacity))).extracting(Merge::points)
        .containsExactly(List.of("overload presence"), List.of("matrix presence"));
    assertThat(earlier.mergesKeptBeside(List.of(matrix))).extracting(Merge::date).containsExactly("day 2");
  }
}
