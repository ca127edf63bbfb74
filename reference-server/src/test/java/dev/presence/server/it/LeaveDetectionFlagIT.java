package dev.presence.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.Main;
import dev.presence.server.support.ChildProcess;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real process given only a leave detection bound starts, with the ping interval derived from it, as its
 * startup log line says.
 */
class LeaveDetectionFlagIT {
  @Test
  @DisplayName("PRS-LIV-6: --leave-detection-millis=2000 alone starts, pinging every 1000 ms, instead of exiting with code 2")
  void leaveDetectionAlone() throws Exception {
    try (ChildProcess server = ChildProcess.start(Main.class, "--host", "127.0.0.1", "--port", "0",
        "--metrics-port", "0", "--ws-port", "0", "--warmup-millis", "0", "--leave-detection-millis=2000")) {
      String started = server.awaitLine("startup log line", l -> l.contains("event=server_started"),
          Duration.ofSeconds(30));
      assertThat(started).contains(" leaveDetectionMillis=2000 ").contains(" pingIntervalMillis=1000 ");
      server.awaitLine("listening line", l -> l.contains("listening on"), Duration.ofSeconds(10));
      assertThat(server.process().isAlive()).isTrue();
    }
  }
}
