package dev.presence.bench.suite;

import java.util.Optional;

/**
 * Finds the highest load a system serves within the capacity criterion, to within a ratio: the load doubles
 * until a step fails, then the gap between the highest load that passed and the lowest that failed is
 * halved (geometrically) until it is within the ratio, or the profile's session cap passed. The server
 * served a passing step whether or not the load generator kept its schedule, so the search goes on past it;
 * but a failing step the load generator may have limited may be the load generator's failure, so then the
 * capacity found is only a lower bound.
 *
 * <p>Load is counted in rooms of N users at the base rate. Rooms are whole, so a load L runs ⌈L⌉ rooms
 * with every user at base × L / ⌈L⌉ Hz (whole Hz): every room stays alike, each state still fans out to
 * N − 1 others, and only the rate thins, so steps finer than a room are possible.
 */
final class CapacitySearch {
  /** A load as run: rooms, and every user's rate. */
  record Step(int rooms, int rateHz, int baseRateHz) {
    /** @return the load in rooms at the base rate */
    double load() {
      return rooms * (double) rateHz / baseRateHz;
    }
  }

  /** How a search ended. */
  enum End {
    /** Bracketed within the ratio. */
    BRACKETED,
    /** Even the lowest load tried failed. */
    NOTHING_PASSED,
    /** The profile's session cap passed: a lower bound. */
    SESSION_CAP,
    /** Steps cannot be realized finer than this: the gap is as small as whole rooms and hertz allow. */
    RESOLUTION
  }

  private static final double LOWEST_LOAD = 0.05;

  private final int baseRateHz;
  private final double maxLoad;
  private final double ratio;
  private double passed;
  private double failed = Double.POSITIVE_INFINITY;
  private boolean failedByLoadGenerator;
  private End end;
  private Step pending;

  /**
   * @param baseRateHz every user's rate at a whole number of rooms
   * @param maxRooms the most rooms a step may run
   * @param ratio the search ends when the lowest failing load is within this factor of the highest passing
   */
  CapacitySearch(int baseRateHz, int maxRooms, double ratio) {
    this.baseRateHz = baseRateHz;
    this.maxLoad = maxRooms;
    this.ratio = ratio;
  }

  /** @return the step to run next, or empty when the search has ended */
  Optional<Step> next() {
    if (end != null) {
      return Optional.empty();
    }
    double target;
    if (failed == Double.POSITIVE_INFINITY) {
      target = passed == 0 ? 1 : Math.min(maxLoad, 2 * passed);
    } else if (passed == 0) {
      target = failed / 2;
      if (target < LOWEST_LOAD) {
        end = End.NOTHING_PASSED;
        return Optional.empty();
      }
    } else if (failed / passed <= ratio) {
      end = End.BRACKETED;
      return Optional.empty();
    } else {
      target = Math.sqrt(passed * failed);
    }
    Step step = realize(target, baseRateHz);
    if (step.load() <= passed || step.load() >= failed) {
      end = End.RESOLUTION;
      return Optional.empty();
    }
    pending = step;
    return Optional.of(step);
  }

  /**
   * @param withinService whether the step met the criterion
   * @param loadGeneratorBound whether the load generator may have limited it
   */
  void record(boolean withinService, boolean loadGeneratorBound) {
    double load = pending.load();
    if (!withinService) {
      failed = load;
      failedByLoadGenerator = loadGeneratorBound;
      return;
    }
    passed = load;
    if (load >= maxLoad) {
      end = End.SESSION_CAP;
    }
  }

  /**
   * @return whether the capacity found is only a lower bound: the session cap passed, or the load generator
   *     may have limited the lowest step that failed
   */
  boolean lowerBound() {
    return end == End.SESSION_CAP || failedByLoadGenerator;
  }

  /** @return the realization of a load: whole rooms, each user at whole hertz, at most the base rate */
  static Step realize(double load, int baseRateHz) {
    int rooms = (int) Math.ceil(load - 1e-9);
    int rate = (int) Math.max(1, Math.min(baseRateHz, Math.round(baseRateHz * load / rooms)));
    return new Step(Math.max(1, rooms), rate, baseRateHz);
  }

  /** @return how the search ended, or null while it runs */
  End end() {
    return end;
  }
}
