package dev.presence.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineChartTest {
  @Test
  void oneLinePerSeriesAndPointsThatCannotSitOnALogScaleAreLeftOut() {
    LineChart chart = new LineChart("cost", "N", "µs")
        .point("a", 5, 1.5).point("a", 50, 0.2)
        .point("b", 5, 10).point("b", 50, Double.NaN).point("b", 100, 0);
    String svg = LineChart.document(List.of(chart));
    assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
    assertThat(svg.split("<path ", -1)).hasSize(3);
    assertThat(svg.split("<circle ", -1)).hasSize(4);
    assertThat(svg).contains(">a<").contains(">b<");
  }
}
