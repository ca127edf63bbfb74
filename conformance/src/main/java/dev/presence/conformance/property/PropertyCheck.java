package dev.presence.conformance.property;

import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Runs a property over seeded random values and shrinks the first failure to a minimal case.
 *
 * <p>Each trial derives its own seed from the run's seed, so a failure is replayed by its trial seed alone. The run
 * seed comes from {@link Builder#seed}, else the system property {@value #SEED_PROPERTY}, else the clock; it is
 * printed before the first trial so that any run can be repeated.
 *
 * @param <T> the value type
 */
public final class PropertyCheck<T> {

  /** System property that fixes the seed of every property run in the JVM. */
  public static final String SEED_PROPERTY = "presence.seed";

  private final String name;
  private final Generator<T> generator;
  private final Shrinker<T> shrinker;
  private final int trials;
  private final int maxShrinkAttempts;
  private final long seed;
  private final boolean replaysOneSeed;

  private PropertyCheck(Builder<T> builder, long seed, boolean replaysOneSeed) {
    this.name = builder.name;
    this.generator = builder.generator;
    this.shrinker = builder.shrinker;
    this.trials = replaysOneSeed ? 1 : builder.trials;
    this.maxShrinkAttempts = builder.maxShrinkAttempts;
    this.seed = seed;
    this.replaysOneSeed = replaysOneSeed;
  }

  /**
   * Starts describing a property.
   *
   * @param name a short name used in reports
   * @param generator produces values
   * @param <T> the value type
   * @return the builder
   */
  public static <T> Builder<T> forAll(String name, Generator<T> generator) {
    return new Builder<>(name, generator);
  }

  /** Returns the seed this run uses. */
  public long seed() {
    return seed;
  }

  /**
   * Runs the trials.
   *
   * @param property returns empty when the value satisfies the property, else why it does not; an exception
   *     thrown by the property counts as a failure with the exception as reason
   * @return the shrunk failure, or empty when every trial passed
   */
  public Optional<PropertyFailure<T>> check(Function<T, Optional<String>> property) {
    System.out.println("[property] " + name + ": seed " + seed + ", " + trials + " trial(s)");
    SplittableRandom seeds = new SplittableRandom(seed);
    for (int trial = 0; trial < trials; trial++) {
      long trialSeed = replaysOneSeed ? seed : seeds.nextLong();
      T value = generator.generate(new SplittableRandom(trialSeed));
      Optional<String> failure = evaluate(property, value);
      if (failure.isPresent()) {
        return Optional.of(shrink(trialSeed, trial, value, failure.get(), property));
      }
    }
    return Optional.empty();
  }

  /**
   * Runs the trials and throws when one fails.
   *
   * @param property as for {@link #check}
   * @throws AssertionError describing the seed and the minimal failing case
   */
  public void assertHolds(Function<T, Optional<String>> property) {
    // The error carries the report, so the test's own failure shows it; printing it too would also show it for a
    // test that expects the failure.
    check(property).ifPresent(failure -> {
      throw new AssertionError(failure.describe(name));
    });
  }

  private PropertyFailure<T> shrink(
      long trialSeed, int trial, T original, String reason, Function<T, Optional<String>> property) {
    Minimizer.Result<T> result =
        Minimizer.minimize(original, reason, shrinker, value -> evaluate(property, value), maxShrinkAttempts);
    return new PropertyFailure<>(
        trialSeed, trial, original, result.minimal(), result.steps(), result.reason());
  }

  private static <T> Optional<String> evaluate(Function<T, Optional<String>> property, T value) {
    try {
      return Objects.requireNonNull(property.apply(value), "property returned null");
    } catch (RuntimeException | AssertionError e) {
      return Optional.of(e.toString());
    }
  }

  /**
   * Describes a property run; immutable once {@link #build()} is called.
   *
   * @param <T> the value type
   */
  public static final class Builder<T> {
    private final String name;
    private final Generator<T> generator;
    private Shrinker<T> shrinker = Shrinker.none();
    private int trials = 100;
    private int maxShrinkAttempts = 2_000;
    private Long seed;
    private LongSupplier seedSource = System::nanoTime;

    private Builder(String name, Generator<T> generator) {
      this.name = Objects.requireNonNull(name, "name");
      this.generator = Objects.requireNonNull(generator, "generator");
    }

    /** Sets how failing values are shrunk; by default they are not. */
    public Builder<T> shrinkWith(Shrinker<T> shrinker) {
      this.shrinker = Objects.requireNonNull(shrinker, "shrinker");
      return this;
    }

    /** Sets the number of trials; default 100. */
    public Builder<T> trials(int trials) {
      if (trials < 1) {
        throw new IllegalArgumentException("trials must be at least 1, was " + trials);
      }
      this.trials = trials;
      return this;
    }

    /** Bounds the number of candidates tried while shrinking; default 2000. */
    public Builder<T> maxShrinkAttempts(int maxShrinkAttempts) {
      if (maxShrinkAttempts < 0) {
        throw new IllegalArgumentException("maxShrinkAttempts must not be negative");
      }
      this.maxShrinkAttempts = maxShrinkAttempts;
      return this;
    }

    /**
     * Replays exactly one trial with this seed, as printed by a failure; overrides {@link #SEED_PROPERTY}.
     */
    public Builder<T> seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Replaces the clock-based source of fresh run seeds; for tests of the engine itself. */
    Builder<T> seedSource(LongSupplier seedSource) {
      this.seedSource = Objects.requireNonNull(seedSource, "seedSource");
      return this;
    }

    /** Validates the description and returns the runnable check. */
    public PropertyCheck<T> build() {
      if (seed != null) {
        return new PropertyCheck<>(this, seed, true);
      }
      String fixed = System.getProperty(SEED_PROPERTY);
      if (fixed != null && !fixed.isBlank()) {
        try {
          return new PropertyCheck<>(this, Long.parseLong(fixed.strip()), true);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(SEED_PROPERTY + " must be a long, was '" + fixed + "'", e);
        }
      }
      return new PropertyCheck<>(this, seedSource.getAsLong(), false);
    }
  }
}
