package dev.presence.conformance.history;

import com.google.protobuf.TextFormat;
import java.util.List;

/** Renders a history as a wire trace: one line per observation, times relative to the first. */
public final class Traces {

  private Traces() {}

  /** Returns the trace of a history. */
  public static String of(List<Observation> history) {
    if (history.isEmpty()) {
      return "";
    }
    long start = history.get(0).nanos();
    StringBuilder out = new StringBuilder();
    for (Observation o : history) {
      out.append(String.format("%9.1f ms  ", (o.nanos() - start) / 1e6)).append(line(o)).append('\n');
    }
    return out.toString();
  }

  private static String line(Observation o) {
    if (o instanceof Observation.Sent s) {
      return s.session() + " -> " + TextFormat.printer().emittingSingleLine(true).printToString(s.frame());
    } else if (o instanceof Observation.Received r) {
      return r.session() + " <- " + TextFormat.printer().emittingSingleLine(true).printToString(r.frame());
    } else if (o instanceof Observation.Started s) {
      return s.session() + " started over " + s.binding().label() + " to " + s.endpoint();
    } else if (o instanceof Observation.SessionEndReceived s) {
      return s.session() + " <- session_end " + TextFormat.printer().emittingSingleLine(true).printToString(s.frame());
    } else if (o instanceof Observation.WebSocketClosed c) {
      if (c.code() == Observation.WebSocketClosed.NO_CLOSE_FRAME) {
        return c.session() + " connection closed without a Close frame"
            + (c.reason().isEmpty() ? "" : " (" + c.reason() + ")");
      }
      return c.session() + " <- Close " + c.code() + (c.reason().isEmpty() ? "" : " \"" + c.reason() + "\"");
    } else if (o instanceof Observation.HandshakeAnswered h) {
      return h.connection() + " " + h.request() + " <- HTTP " + h.status() + " " + h.headers();
    } else if (o instanceof Observation.Ended e) {
      return e.session() + " ended " + e.code() + (e.errorInfoReason().isEmpty() ? "" : " " + e.errorInfoReason())
          + (e.description().isEmpty() ? "" : " \"" + e.description() + "\"");
    } else if (o instanceof Observation.KitEnded k) {
      return k.session() + " ended by the kit: " + k.how();
    } else if (o instanceof Observation.StepStarted s) {
      return "step " + s.index() + ": " + s.description();
    } else if (o instanceof Observation.Settled s) {
      return "step " + s.index() + " settled";
    } else if (o instanceof Observation.DeadlinePassed d) {
      return "step " + d.index() + " still unsettled at its bound of " + d.boundNanos() / 1_000_000 + " ms";
    } else if (o instanceof Observation.Unanswered u) {
      return u.session() + " got no " + u.awaited() + " in " + u.waitedMillis() + " ms; the kit stopped waiting";
    }
    return o.toString();
  }
}
