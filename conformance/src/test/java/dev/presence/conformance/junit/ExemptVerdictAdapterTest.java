package dev.presence.conformance.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.Coverage;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit adapter aborts the test of a rule it did not judge, saying the verdict and why, and never fails it: a
 * report of skipped tests tells each one's reason.
 */
class ExemptVerdictAdapterTest {

  /** Runs nothing, so every rule ends exempt, skipped or not applicable. */
  private static final class NothingSelected extends PresenceConformanceTests {
    private final ManagedChannel channel;

    NothingSelected(ManagedChannel channel) {
      this.channel = channel;
    }

    @Override
    protected ConformanceSuite.Builder suite() {
      return ConformanceSuite.builder(channel).select(id -> false)
          .progress(new PrintStream(OutputStream.nullOutputStream()));
    }
  }

  @Test
  void anExemptRuleAbortsWithItsReason() throws InterruptedException {
    ManagedChannel unused = Grpc.newChannelBuilder("localhost:1", InsecureChannelCredentials.create()).build();
    try {
      List<DynamicTest> tests = new NothingSelected(unused).presenceV1().toList();
      DynamicTest exempt = tests.stream().filter(t -> t.getDisplayName().equals("PRS-STA-6")).findFirst()
          .orElseThrow();
      DynamicTest skipped = tests.stream().filter(t -> t.getDisplayName().equals("PRS-STA-1")).findFirst()
          .orElseThrow();
      assertThatThrownBy(() -> exempt.getExecutable().execute()).isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("EXEMPT: " + Coverage.exemption("PRS-STA-6").orElseThrow());
      assertThatThrownBy(() -> skipped.getExecutable().execute()).isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("SKIPPED: not selected");
      assertThat(tests).hasSizeGreaterThan(100);
      for (DynamicTest test : tests) {
        assertThatThrownBy(() -> test.getExecutable().execute()).as(test.getDisplayName())
            .isInstanceOf(TestAbortedException.class)
            .hasMessageMatching(".*(EXEMPT|SKIPPED|NOT-APPLICABLE): \\S.{2,}");
      }
    } finally {
      unused.shutdownNow();
    }
  }
}
