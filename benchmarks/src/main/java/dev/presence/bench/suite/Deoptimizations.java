package dev.presence.bench.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The JIT's deoptimizations in a JVM's flight recording ({@code jdk.Deoptimization}, on in JFR's default
 * settings): a compiled method thrown back to the interpreter because an assumption it was compiled under
 * broke. After warm-up, each one is a stall the steady state should not have.
 */
final class Deoptimizations {
  static final String EVENT = "jdk.Deoptimization";

  private final List<Instant> times;

  private Deoptimizations(List<Instant> times) {
    this.times = times;
  }

  static Deoptimizations read(Path recording) throws IOException {
    return of(RecordingFile.readAllEvents(recording).stream()
        .filter(e -> e.getEventType().getName().equals(EVENT)).map(RecordedEvent::getStartTime).toList());
  }

  static Deoptimizations of(List<Instant> times) {
    return new Deoptimizations(List.copyOf(times));
  }

  /** @return how many happened in [from, to) */
  long between(Instant from, Instant to) {
    return times.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
  }

  long total() {
    return times.size();
  }
}
