package dev.presence.server.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** One scrape of a Prometheus endpoint over HTTP, with lookups of sample values by name and labels. */
public final class MetricsScrape {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final int status;
  private final String contentType;
  private final String body;

  private MetricsScrape(int status, String contentType, String body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  /** @param port the metrics port on loopback @param path e.g. {@code /metrics} @return the response */
  public static MetricsScrape get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return new MetricsScrape(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  public String body() {
    return body;
  }

  /**
   * @param name the sample name, e.g. {@code presence_updates_in_total}
   * @param labels label pairs the sample must have (it may have more)
   * @return the sum over matching samples; fails if none matches, so a renamed metric cannot pass silently
   */
  public double value(String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String sampleName = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
      if (!sampleName.equals(name)) {
        continue;
      }
      String labelText = brace >= 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
      boolean all = labels.entrySet().stream()
          .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (all) {
        found = true;
        sum += Double.parseDouble(line.substring(space + 1));
      }
    }
    if (!found) {
      throw new AssertionError("no sample " + name + labels + " in scrape:\n" + body);
    }
    return sum;
  }

  /** @param name a sample without labels @return its value */
  public double value(String name) {
    return value(name, Map.of());
  }
}
