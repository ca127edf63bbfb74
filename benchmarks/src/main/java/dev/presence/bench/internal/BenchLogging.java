package dev.presence.bench.internal;

/**
 * Points logback at the benchmarks' own WARN-level configuration. The shaded jar drops every dependency's
 * logback.xml, and logback's fallback would log Netty at DEBUG, frame bytes included: payloads in the log
 * and CPU spent in the very processes being measured.
 */
public final class BenchLogging {
  private static final String CONFIGURATION_PROPERTY = "logback.configurationFile";

  private BenchLogging() {}

  /** Call first in a main method, before anything touches a logger; an explicit setting wins. */
  public static void configure() {
    if (System.getProperty(CONFIGURATION_PROPERTY) == null) {
      System.setProperty(CONFIGURATION_PROPERTY, "presence-bench-logback.xml");
    }
  }
}
