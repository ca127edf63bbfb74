package dev.presence.server.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LatenessSlicesTest {
  private static void fill(LatenessSlices slices, int samples, double fastMillis, int slow, double slowMillis) {
    for (int i = 0; i < samples - slow; i++) {
      slices.record(fastMillis);
    }
    for (int i = 0; i < slow; i++) {
      slices.record(slowMillis);
    }
  }

  @Test
  @DisplayName("Warm after the required slices in a row have their 99th percentile within the bound")
  void warmAfterEnoughSlicesInARow() {
    LatenessSlices slices = new LatenessSlices(75, 2, 100);
    fill(slices, 100, 40, 0, 0);
    slices.endSlice();
    assertThat(slices.warm()).isFalse();
    fill(slices, 100, 40, 1, 300);
    slices.endSlice();
    assertThat(slices.warm()).isTrue();
    assertThat(slices.lastP99Millis()).isEqualTo(40);
  }

  @Test
  @DisplayName("A slice whose 99th percentile is over the bound starts the count again")
  void lateSliceResets() {
    LatenessSlices slices = new LatenessSlices(75, 2, 100);
    fill(slices, 100, 40, 0, 0);
    slices.endSlice();
    fill(slices, 100, 40, 2, 300);
    slices.endSlice();
    assertThat(slices.lastP99Millis()).isEqualTo(300);
    fill(slices, 100, 40, 0, 0);
    slices.endSlice();
    assertThat(slices.warm()).isFalse();
    fill(slices, 100, 40, 0, 0);
    slices.endSlice();
    assertThat(slices.warm()).isTrue();
  }

  @Test
  @DisplayName("A slice with too few samples proves nothing: it breaks the run and reports no percentile")
  void thinSliceBreaksTheRun() {
    LatenessSlices slices = new LatenessSlices(75, 2, 100);
    fill(slices, 100, 40, 0, 0);
    slices.endSlice();
    fill(slices, 99, 40, 0, 0);
    slices.endSlice();
    assertThat(slices.lastP99Millis()).isNaN();
    fill(slices, 100, 40, 0, 0);
    slices.endSlice();
    assertThat(slices.warm()).isFalse();
  }
}
