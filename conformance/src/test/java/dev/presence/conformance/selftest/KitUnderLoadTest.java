package dev.presence.conformance.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.report.ConsoleReport;
import dev.presence.server.config.ServerConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The kit must not cry wolf on a busy machine: against the correct reference server, with two busy threads per
 * core competing for the CPU, a run may end INCONCLUSIVE (exit code 3) but never NOT CONFORMANT (exit code 1).
 */
@Isolated("hogs every core on purpose")
class KitUnderLoadTest {

  private static final long SEED = 4_2026_1204L;
  private static final int HOGS_PER_CORE = 2;

  /** Where the hogs leave their work, so that no compiler can prove it useless. */
  private static final AtomicLong burned = new AtomicLong();

  @Test
  void aCorrectServerIsNeverFailedWhileTheMachineIsBusy() throws Exception {
    EmbeddedServer server = EmbeddedServer.start(ServerConfig.builder());
    AtomicBoolean hogging = new AtomicBoolean(true);
    List<Thread> hogs = startHogs(hogging);
    SuiteResult result;
    try {
      result = ConformanceSuite.builder(server.grpc())
          .targetDescription("reference server beside " + hogs.size() + " busy threads")
          .seed(SEED)
          .scenarios(6)
          .maxShrinkAttempts(8)
          .progress(new PrintStream(OutputStream.nullOutputStream()))
          .build().run();
    } finally {
      hogging.set(false);
      for (Thread hog : hogs) {
        hog.join();
      }
      server.close();
    }
    String report = ConsoleReport.render(result);
    System.out.println(report);
    assertThat(result.exitCode()).as(report).isIn(0, 3);
  }

  private static List<Thread> startHogs(AtomicBoolean hogging) {
    List<Thread> hogs = new ArrayList<>();
    int count = HOGS_PER_CORE * Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < count; i++) {
      Thread hog = new Thread(() -> {
        double sink = 0;
        while (hogging.get()) {
          sink = Math.sqrt(sink + 2);
        }
        burned.accumulateAndGet(Double.doubleToLongBits(sink), Long::sum);
      }, "cpu-hog-" + i);
      hog.setDaemon(true);
      hog.start();
      hogs.add(hog);
    }
    return hogs;
  }
}
