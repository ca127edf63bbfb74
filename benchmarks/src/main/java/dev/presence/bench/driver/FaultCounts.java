package dev.presence.bench.driver;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A driver's faults, counted by reason from any thread. The first fault of each reason is logged, later
 * ones only counted, so a broken codec or server is visible without flooding the load generator's output.
 * Reasons and details name what went wrong, never a payload.
 */
public final class FaultCounts {
  private static final System.Logger LOG = System.getLogger(FaultCounts.class.getName());

  private final String driver;
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** @param driver the driver's name, for the log */
  public FaultCounts(String driver) {
    this.driver = driver;
  }

  /** @param reason what went wrong, stable across occurrences, e.g. {@code call ended by the server: INTERNAL} */
  public void report(String reason) {
    report(reason, null, null);
  }

  /**
   * @param reason what went wrong, stable across occurrences so that they add up
   * @param detail about this occurrence, logged only for the first of its reason; may be null
   * @param cause summarized, without its stack, with the first of its reason; may be null
   */
  public void report(String reason, String detail, Throwable cause) {
    if (closing) {
      return;
    }
    counts.computeIfAbsent(reason, r -> {
      String message = driver + ": " + r + (detail == null ? "" : " (" + detail + ")")
          + (cause == null ? "" : ": " + unwrapped(cause)) + "; logged once, counted from now on";
      LOG.log(System.Logger.Level.WARNING, message);
      return new LongAdder();
    }).increment();
  }

  /** Futures wrap what the network or the peer did; the wrappers add only stack. */
  private static String unwrapped(Throwable cause) {
    Throwable t = cause;
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.toString();
  }

  /** What happens to sessions the driver itself is about to cut is not a fault of the system under test. */
  public void closing() {
    closing = true;
  }

  /** @return the counts so far, by reason, sorted; empty on a clean run */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((reason, n) -> out.put(reason, n.sum()));
    return out;
  }
}
