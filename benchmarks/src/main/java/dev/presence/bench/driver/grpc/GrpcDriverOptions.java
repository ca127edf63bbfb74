package dev.presence.bench.driver.grpc;

/**
 * How the gRPC drivers use the network.
 *
 * @param ioThreads the event loop threads every channel of a driver shares
 * @param sessionsPerChannel how many sessions share one TCP connection; 1, like real clients, by default
 * @param flowControlWindowBytes the HTTP/2 window each connection grants the server, fixed; 0 keeps gRPC's
 *     default of 1 MiB that grows with the measured bandwidth-delay product, as real clients have it. A
 *     small fixed window makes a session that stopped reading push back on the server sooner.
 */
public record GrpcDriverOptions(int ioThreads, int sessionsPerChannel, int flowControlWindowBytes) {
  /**
   * One connection per session, gRPC's flow control, and up to two I/O threads: a load generator pinned
   * to one core gets one, since the JVM counts only the cores it may run on.
   */
  public static final GrpcDriverOptions DEFAULTS =
      new GrpcDriverOptions(Math.min(2, Runtime.getRuntime().availableProcessors()), 1, 0);

  /** Checks the bounds. */
  public GrpcDriverOptions {
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be at least 1, was " + ioThreads);
    }
    if (sessionsPerChannel < 1) {
      throw new IllegalArgumentException("sessionsPerChannel must be at least 1, was " + sessionsPerChannel);
    }
    if (flowControlWindowBytes < 0) {
      throw new IllegalArgumentException("flowControlWindowBytes must not be negative, was " + flowControlWindowBytes);
    }
  }
}
