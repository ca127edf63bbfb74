package dev.presence.clientadapter;

import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.client.adapter.Framing;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Reports to the kit with the kit's own {@link Framing}. Results, callbacks and connection changes come from
 * different threads; one lock keeps frames whole and the order of writes the order of calls.
 */
final class ReportWriter {
  private static final Logger log = LoggerFactory.getLogger(ReportWriter.class);

  private final DataOutputStream out;
  private final AdapterOptions.ReportFilter filter;
  private boolean broken;

  ReportWriter(OutputStream out, AdapterOptions.ReportFilter filter) {
    this.out = new DataOutputStream(out);
    this.filter = filter;
  }

  /**
   * Writes one report (or what the filter makes of it) and flushes, so the kit sees it as it happens. A kit
   * that stopped reading must not take the adapter down with it, so a failed write is logged once and later
   * reports are dropped.
   *
   * @param report the report
   */
  synchronized void write(Report report) {
    for (Report r : filter.apply(report)) {
      if (broken) {
        return;
      }
      try {
        Framing.write(out, r);
      } catch (IOException e) {
        broken = true;
        log.warn("cannot write to the kit any more, dropping further reports: {}", e.toString());
      }
    }
  }
}
