package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The capacity search against made-up systems that serve exactly up to a known load. */
class CapacitySearchTest {
  /** @return every step run, against a system that serves any load up to capacity, never bound */
  private static List<CapacitySearch.Step> search(CapacitySearch search, double capacity) {
    List<CapacitySearch.Step> steps = new ArrayList<>();
    for (Optional<CapacitySearch.Step> s = search.next(); s.isPresent(); s = search.next()) {
      steps.add(s.get());
      search.record(s.get().load() <= capacity, false);
    }
    return steps;
  }

  private static double highestPassed(List<CapacitySearch.Step> steps, double capacity) {
    return steps.stream().mapToDouble(CapacitySearch.Step::load).filter(l -> l <= capacity).max().orElse(0);
  }

  private static double lowestFailed(List<CapacitySearch.Step> steps, double capacity) {
    return steps.stream().mapToDouble(CapacitySearch.Step::load).filter(l -> l > capacity).min().orElse(Double.NaN);
  }

  @Test
  void doublesThenBisectsUntilPassAndFailAreWithinTenPercent() {
    CapacitySearch search = new CapacitySearch(20, 100, 1.10);

    List<CapacitySearch.Step> steps = search(search, 11.3);

    assertThat(steps.subList(0, 5)).extracting(CapacitySearch.Step::rooms).containsExactly(1, 2, 4, 8, 16);
    assertThat(search.end()).isEqualTo(CapacitySearch.End.BRACKETED);
    assertThat(lowestFailed(steps, 11.3) / highestPassed(steps, 11.3)).isLessThanOrEqualTo(1.10);
    assertThat(highestPassed(steps, 11.3)).isGreaterThan(11.3 / 1.10);
  }

  @Test
  void belowOneRoomTheRateThins() {
    CapacitySearch search = new CapacitySearch(20, 100, 1.10);

    List<CapacitySearch.Step> steps = search(search, 0.3);

    assertThat(steps).allSatisfy(s -> assertThat(s.rooms()).isEqualTo(1));
    assertThat(steps.get(1).rateHz()).isEqualTo(10);
    assertThat(search.end()).isIn(CapacitySearch.End.BRACKETED, CapacitySearch.End.RESOLUTION);
    assertThat(highestPassed(steps, 0.3)).isGreaterThanOrEqualTo(0.25);
  }

  @Test
  void aFractionalLoadRunsWholeRoomsAtAThinnerRate() {
    assertThat(CapacitySearch.realize(2.5, 20)).isEqualTo(new CapacitySearch.Step(3, 17, 20));
    assertThat(CapacitySearch.realize(4, 20)).isEqualTo(new CapacitySearch.Step(4, 20, 20));
    assertThat(CapacitySearch.realize(0.01, 20)).isEqualTo(new CapacitySearch.Step(1, 1, 20));
  }

  @Test
  void theSessionCapEndsTheSearchAsALowerBound() {
    CapacitySearch search = new CapacitySearch(20, 4, 1.10);

    List<CapacitySearch.Step> steps = search(search, 1_000);

    assertThat(steps).extracting(CapacitySearch.Step::rooms).containsExactly(1, 2, 4);
    assertThat(search.end()).isEqualTo(CapacitySearch.End.SESSION_CAP);
    assertThat(search.lowerBound()).isTrue();
  }

  @Test
  void aPassingStepTheLoadGeneratorMayHaveLimitedStillPasses() {
    CapacitySearch search = new CapacitySearch(20, 100, 1.10);

    search.next();
    search.record(true, true);

    assertThat(search.next()).hasValueSatisfying(s -> assertThat(s.rooms()).isEqualTo(2));
    assertThat(search.lowerBound()).isFalse();
  }

  @Test
  void aFailingStepTheLoadGeneratorMayHaveLimitedLeavesALowerBound() {
    CapacitySearch search = new CapacitySearch(20, 100, 1.10);

    search.next();
    search.record(true, false);
    search.next();
    search.record(false, true);

    assertThat(search.lowerBound()).isTrue();
  }

  @Test
  void aSystemThatServesNothingEndsWithNothingPassed() {
    CapacitySearch search = new CapacitySearch(20, 100, 1.10);

    List<CapacitySearch.Step> steps = search(search, 0);

    assertThat(search.end()).isEqualTo(CapacitySearch.End.NOTHING_PASSED);
    assertThat(steps).allSatisfy(s -> assertThat(s.load()).isGreaterThan(0));
  }
}
