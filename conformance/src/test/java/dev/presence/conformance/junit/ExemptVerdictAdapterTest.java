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
 * The JUnit adapter aborts the test of a rule it did not judge, naming the verdict and why in the test's name and
 * its abort, and never fails it; a rule the kit never checks on a server (exempt, or binding clients only) gets no
 * test at all.
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
  void anUnjudgedRuleAbortsWithItsReasonAndARuleThatDoesNotBindTheTargetHasNoTest() throws InterruptedException {
    ManagedChannel unused = Grpc.newChannelBuilder("localhost:1", InsecureChannelCredentials.create()).build();
    try {
      List<DynamicTest> tests = new NothingSelected(unused).presenceV1().toList();
      assertThat(Coverage.exemption("PRS-STA-6")).isPresent();
      assertThat(tests).noneMatch(t -> t.getDisplayName().startsWith("PRS-STA-6"));
      assertThat(tests).noneMatch(t -> t.getDisplayName().startsWith("PRS-TRN-3 "));
      DynamicTest skipped = tests.stream().filter(t -> t.getDisplayName().startsWith("PRS-STA-1 ")).findFirst()
          .orElseThrow();
      assertThat(skipped.getDisplayName()).isEqualTo("PRS-STA-1 (SKIPPED: not selected)");
      assertThatThrownBy(() -> skipped.getExecutable().execute()).isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("SKIPPED: not selected");
      assertThat(tests).hasSizeGreaterThan(50);
      for (DynamicTest test : tests) {
        assertThat(test.getDisplayName()).matches(".* \\((SKIPPED|INCONCLUSIVE|NOT-APPLICABLE): \\S.{2,}\\)");
        assertThatThrownBy(() -> test.getExecutable().execute()).as(test.getDisplayName())
            .isInstanceOf(TestAbortedException.class)
            .hasMessageMatching(".*(SKIPPED|INCONCLUSIVE|NOT-APPLICABLE): \\S.{2,}");
      }
    } finally {
      unused.shutdownNow();
    }
  }
}
