package dev.presence.bench.driver;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One driver per node of a cluster, sessions spread over them round-robin by user number. Users of a room
 * have consecutive numbers, so every room of more than one user spans several nodes, and the load generator
 * can tell from two user numbers alone whether a delivery crossed nodes ({@link #nodeOf}).
 */
public final class MultiNodeDriver implements Driver {
  private final List<Driver> nodes;

  /** @param nodes one driver per node, in node order; this driver closes them */
  public MultiNodeDriver(List<Driver> nodes) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("at least one node");
    }
    this.nodes = List.copyOf(nodes);
  }

  /**
   * The one place that decides which node serves a user.
   *
   * @param user a user number
   * @param nodes how many nodes
   * @return the index of the node its session opens on
   */
  public static int nodeOf(int user, int nodes) {
    return Math.floorMod(user, nodes);
  }

  @Override
  public CompletableFuture<UserSession> open(String roomId, int user, Receiver receiver) {
    return nodes.get(nodeOf(user, nodes.size())).open(roomId, user, receiver);
  }

  @Override
  public Map<String, Long> faults() {
    Map<String, Long> sum = new TreeMap<>();
    for (Driver d : nodes) {
      d.faults().forEach((reason, count) -> sum.merge(reason, count, Long::sum));
    }
    return sum;
  }

  @Override
  public void close() {
    for (Driver d : nodes) {
      d.close();
    }
  }
}
