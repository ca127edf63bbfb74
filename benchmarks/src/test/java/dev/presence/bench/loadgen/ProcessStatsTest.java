package dev.presence.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** JIT compiler CPU is found by thread name: a JVM has it, a process that is not a JVM does not. */
class ProcessStatsTest {
  @Test
  @DisplayName("A JVM's compiler threads are found, and their CPU is part of the process's")
  void findsTheCompilerThreadsOfAJvm() {
    ProcessStats self = ProcessStats.self();
    OptionalLong jit = self.jitCpuMicros();
    assertThat(jit).isPresent();
    assertThat(jit.getAsLong()).isBetween(0L, self.cpuMicros());
  }

  @Test
  @DisplayName("A process without compiler threads has no JIT CPU to report")
  void findsNoneInAProcessThatIsNotAJvm() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      assertThat(ProcessStats.of(sleep.pid()).jitCpuMicros()).isEmpty();
    } finally {
      sleep.destroy();
      sleep.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
