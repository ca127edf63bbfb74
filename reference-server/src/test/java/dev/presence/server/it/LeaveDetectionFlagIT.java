package dev.presence.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.Main;
import dev.presence.server.support.ChildProcess;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real process given only a leave detection bound starts: the ping interval is derived from it. */
class LeaveDetectionFlagIT {
  @Test
  @DisplayName("PRS-LIV-6: --leave-detection-millis=2000 alone starts instead of exiting with code 2")
  void leaveDetectionAlone() throws Exception {
    try (ChildProcess server = ChildProcess.start(Main.class, "--host", "127.0.0.1", "--port", "0",
        "--metrics-port", "0", "--ws-port", "0", "--warmup-millis", "0", "--leave-detection-millis=2000")) {
      String line = server.awaitLine("listening line", l -> l.contains("listening on"), Duration.ofSeconds(30));
      assertThat(line).contains("127.0.0.1:");
      assertThat(server.process().isAlive()).isTrue();
    }
  }
}
