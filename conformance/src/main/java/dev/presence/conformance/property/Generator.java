package dev.presence.conformance.property;

import java.util.SplittableRandom;

/**
 * Produces a random value from a seeded source, so the same seed always yields the same value.
 *
 * @param <T> the generated type
 */
@FunctionalInterface
public interface Generator<T> {

  /**
   * Generates one value.
   *
   * @param random the only source of randomness the generator may use
   * @return the value
   */
  T generate(SplittableRandom random);
}
