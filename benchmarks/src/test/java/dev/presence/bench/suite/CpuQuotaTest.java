package dev.presence.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Holding a real process under a real cgroup where the machine allows it (root with a cpu controller, as in
 * CI); elsewhere, that the quota says why it cannot and refuses to hold.
 */
class CpuQuotaTest {
  @Test
  void aHeldProcessIsInTheQuotasGroupUntilReleased() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try (CpuQuota quota = CpuQuota.create(0.2)) {
      if (!quota.available()) {
        assertThat(quota.unavailableReason()).isNotBlank();
        assertThatThrownBy(() -> quota.hold(child.pid())).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(quota.unavailableReason());
        return;
      }
      String home = cpuGroup(child.pid());
      try (CpuQuota.Hold hold = quota.hold(child.pid())) {
        assertThat(cpuGroup(child.pid())).endsWith("/presence-bench-" + ProcessHandle.current().pid());
      }
      assertThat(cpuGroup(child.pid())).isEqualTo(home);
      assertThat(quota.share()).isEqualTo(0.2);
    } finally {
      child.destroy();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aHeldProcessThatExitedIsLetGo() throws Exception {
    try (CpuQuota quota = CpuQuota.create(0.2)) {
      if (!quota.available()) {
        assertThat(quota.unavailableReason()).isNotBlank();
        return;
      }
      Process child = new ProcessBuilder("sleep", "60").start();
      CpuQuota.Hold hold = quota.hold(child.pid());
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      hold.close();
    }
  }

  @Test
  void noShareHoldsNothingAndSaysSo() throws IOException {
    try (CpuQuota quota = CpuQuota.create(0)) {
      assertThat(quota.available()).isFalse();
      assertThat(quota.share()).isZero();
      assertThat(quota.unavailableReason()).isEqualTo("the profile holds no server");
    }
  }

  @Test
  void aShareAboveOneCoreIsRefused() {
    assertThatThrownBy(() -> CpuQuota.create(1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 1");
  }

  /** The process's group under the cpu controller: the v1 line naming cpu, or the v2 line. */
  private static String cpuGroup(long pid) throws IOException {
    String v2 = null;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
      String[] fields = line.split(":", 3);
      if (java.util.Arrays.asList(fields[1].split(",")).contains("cpu")) {
        return fields[2];
      }
      if (fields[0].equals("0")) {
        v2 = fields[2];
      }
    }
    return v2;
  }
}
