package dev.presence.bench.suite;

import java.util.List;

/**
 * How much of the suite to run. {@code full} produces BENCHMARKS.md; {@code quick} is for trying a change;
 * {@code smoke} only proves every system, driver and report still works, in seconds, and measures nothing
 * worth reading.
 *
 * @param name the profile's name
 * @param runsPerPoint runs whose median is reported for the room-size matrix (at least 3 for numbers
 *     anyone should read); the capacity sweep, the scale point and the memory experiments take one run
 * @param warmupMillis load before each measured window
 * @param measureMillis each measured window
 * @param roomSizes N of the room-size matrix
 * @param matrixSessions R × N of each matrix point (R rounded up)
 * @param scaleSessions sessions of the many-small-rooms point (N = 5), 0 to skip
 * @param idleSessions sessions held idle to measure memory per session
 * @param capacityRoomSizes N of the capacity sweeps
 * @param capacityMaxSessions a sweep stops adding rooms beyond this many sessions
 * @param stallMillis how long a subscriber stops reading in a 100-user room, 0 to skip
 * @param serverWarmup whether each server first runs unrecorded load, so the JIT has compiled its hot path
 * @param clusterRoomSizes N of the cluster experiment (three nodes on one Redis against one node, R × N =
 *     {@code matrixSessions}); empty to skip
 * @param burstMillis each burst of the cold-start experiment
 * @param stormSessions sessions of the connection storm
 * @param stormWindowMillis the measured window around a storm: long enough to see the quiet room after it
 * @param overloadMillis each window of the overload experiment
 * @param experimentsOnEverySystem whether every system runs the capacity and quiet-room experiments, not only
 *     the reference server
 * @param referenceServerFlags extra flags of the reference server
 * @param heldCpuShare the share of one core each server is held to while its capacity is searched and it is
 *     overloaded ({@link CpuQuota}); 0 for a whole core
 */
record Profile(
    String name,
    int runsPerPoint,
    long warmupMillis,
    long measureMillis,
    List<Integer> roomSizes,
    int matrixSessions,
    int scaleSessions,
    int idleSessions,
    List<Integer> capacityRoomSizes,
    int capacityMaxSessions,
    long stallMillis,
    boolean serverWarmup,
    List<Integer> clusterRoomSizes,
    long burstMillis,
    int stormSessions,
    long stormWindowMillis,
    long overloadMillis,
    boolean experimentsOnEverySystem,
    List<String> referenceServerFlags,
    double heldCpuShare) {

  /**
   * A fifth of a core: the reference server served about 745k deliveries/s at N = 50 on a whole core, where one
   * load generator core was near its limit, so on a fifth even the overload experiment's 3x should stay within the
   * load generator's reach.
   */
  static final double HELD_CPU_SHARE = 0.2;

  static Profile named(String name) {
    return switch (name) {
      case "full" -> new Profile("full", 3, 2_000, 4_000, List.of(5, 10, 25, 50, 100, 200), 200, 5_000,
          5_000, List.of(50, 100), 5_000, 60_000, true, List.of(5, 10, 25, 50, 100, 200), 2_000, 1_000, 25_000, 6_000,
          true, List.of(), HELD_CPU_SHARE);
      case "quick" -> new Profile("quick", 1, 2_000, 3_000, List.of(5, 10, 25, 50, 100, 200), 200, 1_000,
          1_000, List.of(50, 100), 2_000, 15_000, true, List.of(10, 50), 2_000, 1_000, 25_000, 6_000, true, List.of(),
          HELD_CPU_SHARE);
      // Smoke proves the capacity, overload and quiet-room code on the reference server alone (the matrix already
      // drives every system), and caps the server's warm-up: CI has a time budget, and smoke asserts no timing. It
      // holds no server to a share of a core: a cold server on a fifth of one takes several capacity steps to find.
      case "smoke" -> new Profile("smoke", 1, 500, 1_000, List.of(5), 10, 0, 20, List.of(5), 5, 0, false, List.of(5),
          1_000, 50, 2_000, 1_000, false, List.of("--warmup-millis", "1000"), 0);
      default -> throw new IllegalArgumentException("unknown profile '" + name + "': full, quick or smoke");
    };
  }
}
