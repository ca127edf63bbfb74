package dev.presence.conformance.client;

import com.google.protobuf.TextFormat;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.client.adapter.Timed;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.client.server.Outbound;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A client case's run as one time line, for failure reports: the frames the SDK sent each session, the frames the
 * kit's server sent, and what the SDK told the application, each stamped with milliseconds since the first.
 */
public final class ProbeTrace {

  private static final int MAX_LINES = 400;
  private static final int MAX_LINE_CHARS = 200;
  private static final TextFormat.Printer ONE_LINE = TextFormat.printer().emittingSingleLine(true);

  private record Line(long nanos, String text) {}

  private ProbeTrace() {}

  /** Returns the time line of these sessions and reports. */
  public static String of(List<KitCall> calls, List<Timed> reports) {
    List<Line> lines = new ArrayList<>();
    for (KitCall call : calls) {
      String session = "session " + (call.index() + 1);
      for (Inbound in : call.inbound()) {
        lines.add(new Line(in.nanos(), "sdk -> kit  " + session + "  " + in.frame().map(ONE_LINE::printToString)
            .orElse("(" + in.raw().length + " bytes that are no ConnectRequest)")));
      }
      for (Outbound out : call.outbound()) {
        lines.add(new Line(out.nanos(), "kit -> sdk  " + session + "  " + out.frame()
            .map(ONE_LINE::printToString).orElse("(" + out.raw().length + " bytes sent as they are)")));
      }
      call.endedNanos().ifPresent(n -> lines.add(new Line(n, "end        " + session + "  " + call.endCause())));
    }
    for (Timed t : reports) {
      lines.add(new Line(t.nanos(), "sdk -> app  " + describe(t.report())));
    }
    lines.sort(Comparator.comparingLong(Line::nanos));
    if (lines.isEmpty()) {
      return "";
    }
    long start = lines.get(0).nanos();
    StringBuilder out = new StringBuilder();
    int shown = Math.min(lines.size(), MAX_LINES);
    for (Line l : lines.subList(lines.size() - shown, lines.size())) {
      String text = String.format("%+8.1f ms  %s", (l.nanos() - start) / 1e6, l.text());
      out.append(text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + " ..." : text).append('\n');
    }
    if (shown < lines.size()) {
      out.insert(0, "(the first " + (lines.size() - shown) + " lines are left out)\n");
    }
    return out.toString();
  }

  private static String describe(Report report) {
    return report.getKindCase().name().toLowerCase() + " " + ONE_LINE.printToString(report).replaceFirst(
        "^[a-z_]+ \\{ ?", "").replaceFirst(" ?}$", "");
  }
}
