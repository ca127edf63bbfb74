package dev.presence.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A log-log line chart rendered as a standalone SVG fragment: one line per series, x and y on log
 * scales because room sizes and costs both span orders of magnitude.
 */
public final class LineChart {
  private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
  private static final int WIDTH = 520;
  private static final int HEIGHT = 340;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 36;
  private static final int BOTTOM = 50;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final Map<String, List<double[]>> series = new LinkedHashMap<>();

  /** @param title above the plot @param xLabel under the x axis @param yLabel beside the y axis */
  public LineChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Adds a point to a series; points that are not positive and finite cannot sit on a log scale. */
  public LineChart point(String seriesName, double x, double y) {
    if (x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y)) {
      series.computeIfAbsent(seriesName, k -> new ArrayList<>()).add(new double[] {x, y});
    }
    return this;
  }

  /**
   * @param offsetX where the chart's left edge goes in the enclosing SVG
   * @return a {@code <g>} element
   */
  public String render(int offsetX) {
    double[] xr = range(0);
    double[] yr = range(1);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<g transform=\"translate(%d,0)\" font-family=\"sans-serif\" font-size=\"11\">%n", offsetX));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"13\" font-weight=\"bold\">%s</text>%n", LEFT, escape(title)));
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
    for (double v : decades(yr)) {
      double y = py(v, yr, plotH);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, LEFT + plotW, y, y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 4, y + 4, label(v)));
    }
    for (double v : xTicks()) {
      double x = px(v, xr, plotW);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, x, TOP, TOP + plotH));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + plotH + 14, label(v)));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotW / 2, HEIGHT - 18, escape(xLabel)));
    svg.append(String.format(Locale.ROOT, "<text transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>%n", TOP + plotH / 2, escape(yLabel)));
    int i = 0;
    for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
      String color = COLORS[i % COLORS.length];
      StringBuilder path = new StringBuilder();
      for (double[] p : s.getValue()) {
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f", px(p[0], xr, plotW), py(p[1], yr, plotH)));
      }
      svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path, color));
      for (double[] p : s.getValue()) {
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px(p[0], xr, plotW), py(p[1], yr, plotH), color));
      }
      int ly = TOP + 14 + 14 * i;
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>%n", LEFT + 8, ly - 4, color));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + 22, ly, escape(s.getKey())));
      i++;
    }
    svg.append("</g>\n");
    return svg.toString();
  }

  /** @param charts side by side @return a complete SVG document */
  public static String document(List<LineChart> charts) {
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
        WIDTH * charts.size(), HEIGHT, WIDTH * charts.size(), HEIGHT));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    for (int i = 0; i < charts.size(); i++) {
      svg.append(charts.get(i).render(i * WIDTH));
    }
    return svg.append("</svg>\n").toString();
  }

  private double[] range(int axis) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (List<double[]> points : series.values()) {
      for (double[] p : points) {
        min = Math.min(min, p[axis]);
        max = Math.max(max, p[axis]);
      }
    }
    if (min == Double.MAX_VALUE) {
      return new double[] {1, 10};
    }
    double lo = Math.log10(min);
    double hi = Math.log10(max);
    if (axis == 1) {
      lo = Math.floor(lo);
      hi = Math.ceil(hi);
    }
    if (hi - lo < 1e-9) {
      hi = lo + 1;
    }
    return new double[] {lo, hi};
  }

  private List<Double> xTicks() {
    List<Double> ticks = new ArrayList<>();
    for (List<double[]> points : series.values()) {
      for (double[] p : points) {
        if (!ticks.contains(p[0])) {
          ticks.add(p[0]);
        }
      }
    }
    return ticks;
  }

  private static List<Double> decades(double[] r) {
    List<Double> ticks = new ArrayList<>();
    for (double e = r[0]; e <= r[1] + 1e-9; e++) {
      ticks.add(Math.pow(10, e));
    }
    return ticks;
  }

  private static double px(double v, double[] r, int w) {
    return LEFT + (Math.log10(v) - r[0]) / (r[1] - r[0]) * w;
  }

  private static double py(double v, double[] r, int h) {
    return TOP + h - (Math.log10(v) - r[0]) / (r[1] - r[0]) * h;
  }

  private static String label(double v) {
    if (v >= 1) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%s", Double.toString(v).replaceAll("0+$", ""));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
