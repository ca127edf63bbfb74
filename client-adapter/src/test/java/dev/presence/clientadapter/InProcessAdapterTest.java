package dev.presence.clientadapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An adapter on a thread behaves, as far as the kit can see, like one in a process of its own. */
class InProcessAdapterTest {

  @Test
  void theClientsLogLinesReachTheAdaptersStderrAndTheKitsDoNot() throws Exception {
    Process adapter = InProcessAdapter.launcher("logging-adapter", (commands, reports) -> {
      LoggerFactory.getLogger("dev.presence.client.internal.Probe").info("client line {}", "marker-7f3a");
      LoggerFactory.getLogger("dev.presence.conformance.Probe").warn("kit line marker-c0de");
      commands.readAllBytes();
      return 0;
    }).launch();
    adapter.getOutputStream().close();

    String stderr = readAll(adapter.getErrorStream());
    assertThat(stderr).contains("INFO [logging-adapter] dev.presence.client.internal.Probe - client line marker-7f3a")
        .doesNotContain("marker-c0de");
    assertThat(adapter.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(adapter.exitValue()).isZero();
    assertThat(adapter.isAlive()).isFalse();
  }

  @Test
  void aCommandLoopThatThrowsExitsWithOneAndLeavesItsTrace() throws Exception {
    Process adapter = InProcessAdapter.launcher("crashing-adapter", (commands, reports) -> {
      reports.write(1);
      throw new IllegalStateException("the SDK fell over");
    }).launch();

    assertThat(readAll(adapter.getInputStream())).as("stdout, ended").hasSize(1);
    assertThat(readAll(adapter.getErrorStream())).contains("IllegalStateException: the SDK fell over");
    assertThat(adapter.waitFor()).isEqualTo(1);
  }

  @Test
  void destroyEndsALoopThatWaitsForInput() throws Exception {
    Process adapter = InProcessAdapter.launcher("waiting-adapter", (commands, reports) -> {
      commands.readAllBytes();
      return 0;
    }).launch();
    assertThat(adapter.isAlive()).isTrue();

    adapter.destroyForcibly();

    assertThat(adapter.waitFor(5, TimeUnit.SECONDS)).as("ended within 5 s").isTrue();
    assertThat(adapter.isAlive()).isFalse();
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
