package dev.presence.bench.loadgen;

/**
 * The offered load of one run: R rooms of N users, each user sending at a fixed rate with a random phase
 * and subscribed to everyone in its room. Immutable and validated once.
 *
 * @param rooms R
 * @param usersPerRoom N
 * @param sendRateHz updates per user per second; 0 holds the sessions idle
 * @param warmupMillis load applied before measuring
 * @param measureMillis the window whose sends are measured
 * @param graceMillis how long after the window deliveries of its sends still count
 * @param deliveryDeadlineMillis a state counts as delivered only if it, or a newer state of the same
 *     sender, reached the receiver within this long
 * @param stalledSessions sessions in room 0 that stop reading when the window opens
 * @param seed the phases' random seed
 */
public record Workload(
    int rooms,
    int usersPerRoom,
    int sendRateHz,
    long warmupMillis,
    long measureMillis,
    long graceMillis,
    long deliveryDeadlineMillis,
    int stalledSessions,
    long seed) {

  /** Checks the combination once, so a run never starts with a plan it cannot carry out. */
  public Workload {
    require(rooms >= 1, "rooms must be at least 1");
    require(usersPerRoom >= 2, "users per room must be at least 2");
    require(sendRateHz >= 0 && sendRateHz <= 1000, "send rate must be 0..1000 Hz");
    require(warmupMillis >= 0 && measureMillis >= 0 && graceMillis >= 0, "durations must be non-negative");
    require(deliveryDeadlineMillis > 0, "delivery deadline must be positive");
    require(stalledSessions >= 0 && stalledSessions < usersPerRoom, "stalled sessions must be 0..N-1");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** @return R × N */
  public int sessions() {
    return rooms * usersPerRoom;
  }

  /** @return deliveries to others per second the load asks for: R × N × (N − 1) × rate */
  public long offeredDeliveriesPerSecond() {
    return (long) rooms * usersPerRoom * (usersPerRoom - 1) * sendRateHz;
  }

  /** @return the sends one user makes over the whole run, with headroom for a late stop */
  int sendCapacityPerUser() {
    long millis = warmupMillis + measureMillis + 1_000;
    return (int) Math.max(16, millis * sendRateHz / 1000 + 2L * sendRateHz + 16);
  }

  /** @param user a user number @return its room */
  public int roomOf(int user) {
    return user / usersPerRoom;
  }

  /**
   * @param runId distinguishes this run's rooms from every other run's
   * @param room a room number
   * @return its id on the wire
   */
  public static String roomId(String runId, int room) {
    return runId + "-room-" + room;
  }
}
