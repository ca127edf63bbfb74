package dev.presence.conformance.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PropertyCheckTest {

  private static final Generator<List<Long>> SMALL_LISTS =
      random ->
          IntStream.range(0, random.nextInt(1, 20))
              .mapToObj(i -> (long) random.nextInt(0, 100))
              .toList();

  private static Optional<String> noElementAtLeastFifty(List<Long> list) {
    return list.stream().filter(v -> v >= 50).findFirst().map(v -> "element " + v + " >= 50");
  }

  private static PropertyCheck.Builder<List<Long>> listProperty() {
    return PropertyCheck.forAll("no element >= 50", SMALL_LISTS)
        .shrinkWith(Shrinkers.list(Shrinkers.towards(0)))
        .seedSource(() -> 42L);
  }

  @Test
  void shrinksAFailureToTheSmallestFailingCase() {
    PropertyFailure<List<Long>> failure =
        listProperty().build().check(PropertyCheckTest::noElementAtLeastFifty).orElseThrow();

    assertThat(failure.minimal()).containsExactly(50L);
    assertThat(failure.reason()).isEqualTo("element 50 >= 50");
    assertThat(failure.shrinkSteps()).isPositive();
    assertThat(noElementAtLeastFifty(failure.original())).isPresent();
  }

  @Test
  void replayingTheReportedSeedReproducesTheSameOriginalCase() {
    PropertyFailure<List<Long>> first =
        listProperty().build().check(PropertyCheckTest::noElementAtLeastFifty).orElseThrow();

    PropertyFailure<List<Long>> replay =
        listProperty()
            .seed(first.seed())
            .build()
            .check(PropertyCheckTest::noElementAtLeastFifty)
            .orElseThrow();

    assertThat(replay.trial()).isZero();
    assertThat(replay.original()).isEqualTo(first.original());
    assertThat(replay.minimal()).isEqualTo(first.minimal());
  }

  @Test
  void sameRunSeedGeneratesTheSameSequence() {
    PropertyFailure<List<Long>> a =
        listProperty().build().check(PropertyCheckTest::noElementAtLeastFifty).orElseThrow();
    PropertyFailure<List<Long>> b =
        listProperty().build().check(PropertyCheckTest::noElementAtLeastFifty).orElseThrow();

    assertThat(b.seed()).isEqualTo(a.seed());
    assertThat(b.original()).isEqualTo(a.original());
  }

  @Test
  void passingPropertyRunsEveryTrialAndReportsNothing() {
    AtomicInteger evaluations = new AtomicInteger();

    Optional<PropertyFailure<List<Long>>> result =
        listProperty()
            .trials(37)
            .build()
            .check(
                list -> {
                  evaluations.incrementAndGet();
                  return Optional.empty();
                });

    assertThat(result).isEmpty();
    assertThat(evaluations).hasValue(37);
  }

  @Test
  void anExceptionFromThePropertyIsAFailureAndIsShrunk() {
    PropertyFailure<List<Long>> failure =
        listProperty()
            .build()
            .check(
                list -> {
                  if (list.size() >= 3) {
                    throw new IllegalStateException("three or more");
                  }
                  return Optional.empty();
                })
            .orElseThrow();

    assertThat(failure.minimal()).hasSize(3).containsOnly(0L);
    assertThat(failure.reason()).contains("IllegalStateException: three or more");
  }

  @Test
  void assertHoldsReportsSeedAndMinimalCase() {
    PropertyCheck<List<Long>> check = listProperty().build();

    assertThatThrownBy(() -> check.assertHolds(PropertyCheckTest::noElementAtLeastFifty))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("seed ")
        .hasMessageContaining(PropertyCheck.SEED_PROPERTY + "=")
        .hasMessageContaining("minimal case after")
        .hasMessageContaining("[50]");
  }

  @Test
  void shrinkingStopsAtTheAttemptBound() {
    PropertyFailure<List<Long>> failure =
        listProperty()
            .maxShrinkAttempts(0)
            .build()
            .check(PropertyCheckTest::noElementAtLeastFifty)
            .orElseThrow();

    assertThat(failure.minimal()).isEqualTo(failure.original());
    assertThat(failure.shrinkSteps()).isZero();
  }

  @Test
  void listShrinkerRemovesLargeChunksBeforeSingleElementsAndKeepsOrder() {
    List<List<Integer>> candidates =
        Shrinkers.<Integer>list(Shrinker.none()).candidates(List.of(1, 2, 3, 4)).toList();

    assertThat(candidates)
        .containsExactly(
            List.of(),
            List.of(3, 4),
            List.of(1, 2),
            List.of(2, 3, 4),
            List.of(1, 3, 4),
            List.of(1, 2, 4),
            List.of(1, 2, 3));
  }
}
