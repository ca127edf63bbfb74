/**
 * JMH micro-benchmarks of the presence server's fan-out hot path (coalescing, batch encoding, scope
 * filtering) through its public classes, and of the drivers' frame decoder. Run them from the shaded jar
 * with {@code java -cp presence-bench.jar org.openjdk.jmh.Main}.
 */
package dev.presence.bench.jmh;
