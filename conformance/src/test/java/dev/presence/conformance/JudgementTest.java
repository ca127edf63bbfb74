package dev.presence.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.Attempt.Kind;
import dev.presence.conformance.check.Violation;
import dev.presence.conformance.noise.NoiseJudge;
import dev.presence.conformance.noise.NoiseMonitor;
import dev.presence.conformance.noise.TimingMiss;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JudgementTest {

  private static final Attempt PASSED = Attempt.PASSED;
  private static final Attempt LOGICAL = new Attempt(Kind.LOGICAL, "wrong", 0);
  private static final Attempt TIMING = new Attempt(Kind.TIMING, "late", 1);
  private static final Attempt EXCUSED = new Attempt(Kind.EXCUSED, "late, but so was the kit", 1);

  private static Verdict verdict(Attempt... attempts) {
    return Judgement.of(Arrays.asList(attempts));
  }

  @Test
  void logicalViolationsFailOrAreFlakyWhateverTheNoise() {
    assertThat(verdict(LOGICAL, LOGICAL, LOGICAL)).isEqualTo(Verdict.FAIL);
    assertThat(verdict(LOGICAL, PASSED, LOGICAL)).isEqualTo(Verdict.FLAKY);
    assertThat(verdict(LOGICAL, EXCUSED, PASSED)).isEqualTo(Verdict.FLAKY);
  }

  @Test
  void aTimingMissFailsOnlyWhenEveryQuietRerunReproducesIt() {
    assertThat(verdict(TIMING, TIMING, TIMING)).isEqualTo(Verdict.FAIL);
    assertThat(verdict(EXCUSED, TIMING, TIMING)).isEqualTo(Verdict.FAIL);
    assertThat(verdict(TIMING, TIMING, PASSED)).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(verdict(TIMING, EXCUSED, TIMING)).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(verdict(TIMING, PASSED, PASSED)).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void aMissTheNoiseExplainedPassesWhenQuietRerunsHold() {
    assertThat(verdict(EXCUSED, PASSED, PASSED)).isEqualTo(Verdict.PASS);
    assertThat(verdict(EXCUSED, EXCUSED, PASSED)).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void withoutRerunsOnlyAnUnexplainedMissFails() {
    assertThat(verdict(TIMING)).isEqualTo(Verdict.FAIL);
    assertThat(verdict(EXCUSED)).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void anAttemptIsExcusedOnlyWhenTheMeasuredNoiseCoversEveryMiss() {
    NoiseMonitor monitor = NoiseMonitor.manual(() -> 0);
    monitor.recordLateness(ms(500), ms(30));
    NoiseJudge judge = new NoiseJudge(monitor);
    Violation small = timed(ms(20), ms(400), ms(600));
    Violation large = timed(ms(45), ms(400), ms(600));
    Violation elsewhere = timed(ms(5), ms(700), ms(800));

    assertThat(Attempt.of(List.of(small), List.of(), judge).kind()).isEqualTo(Kind.EXCUSED);
    assertThat(Attempt.of(List.of(small, large), List.of(), judge).kind()).isEqualTo(Kind.TIMING);
    assertThat(Attempt.of(List.of(elsewhere), List.of(), judge).kind()).isEqualTo(Kind.TIMING);
    assertThat(Attempt.of(List.of(small, new Violation("PRS-X-1", 0, "wrong")), List.of(), judge).kind())
        .isEqualTo(Kind.LOGICAL);
    assertThat(Attempt.of(List.of(large), List.of(), judge).detail())
        .contains("missed by 45.0 ms").contains("30.0 ms of its own scheduling delay");
  }

  private static Violation timed(long miss, long from, long to) {
    return new Violation("PRS-THR-3", 1, "late", new TimingMiss(miss, from, to));
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
