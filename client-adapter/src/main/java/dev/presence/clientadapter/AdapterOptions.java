package dev.presence.clientadapter;

import dev.presence.conformance.adapter.v1.Report;
import io.grpc.ClientInterceptor;
import java.util.List;
import java.util.Objects;

/**
 * The seam for deliberately faulty adapters, which the kit's self-tests use to prove that client mode catches a
 * misbehaving SDK. The real adapter runs with {@link #defaults()}.
 *
 * <p>With interceptors, the adapter builds the plaintext channel itself, wraps it with them and hands it to the
 * client with {@code Builder.channel}; without, it passes {@code Builder.target} so the client owns its channel,
 * as an application would. A client treats a channel it does not own slightly differently (after a liveness
 * timeout it cannot drop the connection), which is why the default path does not go through this seam.
 *
 * @param interceptors applied to every call the client makes, first one outermost; empty for none
 * @param reports rewrites each report just before it is written
 */
record AdapterOptions(List<ClientInterceptor> interceptors, ReportFilter reports) {

  AdapterOptions {
    interceptors = List.copyOf(interceptors);
    Objects.requireNonNull(reports, "reports");
  }

  /** The real adapter: the client's own channel, every report written as it is. */
  static AdapterOptions defaults() {
    return new AdapterOptions(List.of(), List::of);
  }

  AdapterOptions withInterceptors(ClientInterceptor... added) {
    return new AdapterOptions(List.of(added), reports);
  }

  AdapterOptions withReports(ReportFilter filter) {
    return new AdapterOptions(interceptors, filter);
  }

  /**
   * Decides what is written in place of one report. Called under the writer's lock, one report at a time in
   * the order they were produced, so a stateful filter may hold reports back and release them later.
   */
  @FunctionalInterface
  interface ReportFilter {
    /**
     * Returns the reports to write instead: the report itself, a changed copy, several, or none.
     *
     * @param report what the adapter would have written
     * @return what to write, in order
     */
    List<Report> apply(Report report);
  }
}
