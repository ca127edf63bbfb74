package dev.presence.conformance.report;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.presence.conformance.FailureCase;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;

/**
 * The stable JSON report. Field names never change meaning; new fields may be added. Requirements appear in SPEC.md
 * order, and {@code counts} holds the number of requirements with each verdict, every verdict present.
 */
public final class JsonReport {

  /** The report format's version; it changes only if a field changes meaning or disappears. */
  public static final int FORMAT_VERSION = 1;

  private JsonReport() {}

  /** Returns the report as JSON text. */
  public static String render(SuiteResult result) {
    ListValue.Builder requirements = ListValue.newBuilder();
    for (RequirementResult r : result.results()) {
      Struct.Builder entry = Struct.newBuilder()
          .putFields("id", text(r.requirement().id()))
          .putFields("level", text(r.requirement().level().name()))
          .putFields("text", text(r.requirement().text()))
          .putFields("verdict", text(r.verdict().label()))
          .putFields("detail", text(r.detail()))
          .putFields("knownFailing", Value.newBuilder().setBoolValue(r.knownFailing()).build())
          .putFields("failsRun", Value.newBuilder().setBoolValue(r.failsRun()).build());
      r.failure().ifPresent(f -> entry.putFields("failure", Value.newBuilder().setStructValue(failure(f)).build()));
      requirements.addValues(Value.newBuilder().setStructValue(entry));
    }
    Struct report = Struct.newBuilder()
        .putFields("formatVersion", number(FORMAT_VERSION))
        .putFields("protocol", text("presence.v1"))
        .putFields("target", text(result.target()))
        .putFields("seed", text(Long.toString(result.seed())))
        .putFields("scenarios", number(result.scenarios()))
        .putFields("passed", Value.newBuilder().setBoolValue(result.passed()).build())
        .putFields("inconclusive", Value.newBuilder().setBoolValue(result.inconclusive()).build())
        .putFields("exitCode", number(result.exitCode()))
        .putFields("counts", Value.newBuilder().setStructValue(counts(result)).build())
        .putFields("requirements", Value.newBuilder().setListValue(requirements).build())
        .putFields("transcripts", Value.newBuilder().setListValue(transcripts(result)).build())
        .build();
    return print(report);
  }

  private static Struct counts(SuiteResult result) {
    Struct.Builder counts = Struct.newBuilder();
    for (Verdict v : Verdict.values()) {
      counts.putFields(v.label(), number(result.count(v)));
    }
    return counts.build();
  }

  private static ListValue transcripts(SuiteResult result) {
    ListValue.Builder list = ListValue.newBuilder();
    for (dev.presence.conformance.transcript.TranscriptResult t : result.transcripts()) {
      ListValue.Builder rules = ListValue.newBuilder();
      t.rules().forEach(id -> rules.addValues(text(id)));
      list.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("name", text(t.name()))
          .putFields("title", text(t.title()))
          .putFields("rules", Value.newBuilder().setListValue(rules).build())
          .putFields("outcome", text(t.outcome().name()))
          .putFields("line", number(t.line()))
          .putFields("detail", text(t.detail()))
          .putFields("trace", text(t.trace()))));
    }
    return list.build();
  }

  static Struct failure(FailureCase f) {
    ListValue.Builder violations = ListValue.newBuilder();
    f.violations().forEach(v -> violations.addValues(text(v)));
    Struct.Builder s = Struct.newBuilder()
        .putFields("seed", text(Long.toString(f.seed())))
        .putFields("failedRuns", number(f.failedRuns()))
        .putFields("runs", number(f.runs()))
        .putFields("violations", Value.newBuilder().setListValue(violations).build())
        .putFields("trace", text(f.trace()));
    if (f.minimal() != null) {
      s.putFields("mode", text(f.minimal().mode()));
      s.putFields("scenario", Value.newBuilder().setStructValue(f.minimal().encode()).build());
    }
    return s.build();
  }

  static String print(Struct json) {
    try {
      return JsonFormat.printer().print(json) + "\n";
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a Struct always prints as JSON", e);
    }
  }

  static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  static Value number(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }
}
