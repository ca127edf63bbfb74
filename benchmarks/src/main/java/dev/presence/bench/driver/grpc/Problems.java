package dev.presence.bench.driver.grpc;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Errors after sessions were ready, counted by reason and logged once per reason, so a failing run says
 * why without flooding the load generator's output. Reasons never carry payloads.
 */
final class Problems {
  private static final System.Logger LOG = System.getLogger(Problems.class.getName());

  private final String driver;
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** @param driver the driver's name, for the log */
  Problems(String driver) {
    this.driver = driver;
  }

  /** @param reason what went wrong, e.g. {@code protocol error STATE_TOO_LARGE} */
  void report(String reason) {
    if (closing) {
      return;
    }
    counts.computeIfAbsent(reason, r -> {
      LOG.log(System.Logger.Level.WARNING, "{0}: {1} (logged once; counted from now on)", driver, r);
      return new LongAdder();
    }).increment();
  }

  /** Calls the driver itself is about to cut are not problems of the system under test. */
  void closing() {
    closing = true;
  }

  /** @return the counts so far, by reason */
  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((reason, n) -> out.put(reason, n.sum()));
    return out;
  }
}
