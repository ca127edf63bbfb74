package dev.presence.conformance.client.cases;

import dev.presence.conformance.adapter.v1.Close;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ErrorReason;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PRS-RCN-3: one case per row of SPEC §14.1's two tables. The kit ends an open session as the row says and watches
 * whether and when the SDK opens the next one.
 */
final class RetryRows {

  private static final String RULE = "PRS-RCN-3";
  private static final String CLAUSE = "A client MUST decide whether and when to open a new session after a call "
      + "ends by the \"Client retries\" columns of §14.1.";

  /** What a row's "Client retries" column asks for. */
  private enum Retry { NEVER, AT_ONCE, BACKOFF }

  /** One row: the status the kit ends the session with, and what the SDK must do next. */
  private record Row(Status.Code code, ErrorReason reason, Retry retry) {
    String name() {
      String what = code == Status.Code.OK ? "OK while the SDK had not left"
          : reason == null ? code + " without ErrorInfo" : reasonName(reason) + " (" + code + ")";
      return what + ": " + switch (retry) {
        case NEVER -> "no new session within " + RetryWatch.NEVER_WINDOW.toMillis() + " ms";
        case AT_ONCE -> "a new session at once, after an untimed rehearsal";
        case BACKOFF -> "a new session within backoff bound n = 1, after an untimed rehearsal";
      };
    }
  }

  private RetryRows() {}

  static List<ClientCase> all() {
    List<Row> rows = List.of(
        new Row(Status.Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_OPEN_REQUIRED, Retry.NEVER),
        new Row(Status.Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_MALFORMED_FRAME, Retry.NEVER),
        new Row(Status.Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_INVALID_ROOM_ID, Retry.NEVER),
        new Row(Status.Code.UNAUTHENTICATED, ErrorReason.ERROR_REASON_CREDENTIALS_EXPIRED, Retry.AT_ONCE),
        new Row(Status.Code.PERMISSION_DENIED, ErrorReason.ERROR_REASON_ROOM_FORBIDDEN, Retry.NEVER),
        new Row(Status.Code.RESOURCE_EXHAUSTED, ErrorReason.ERROR_REASON_TOO_MANY_SESSIONS, Retry.BACKOFF),
        new Row(Status.Code.RESOURCE_EXHAUSTED, ErrorReason.ERROR_REASON_FRAME_TOO_LARGE, Retry.NEVER),
        new Row(Status.Code.DEADLINE_EXCEEDED, ErrorReason.ERROR_REASON_IDLE_TIMEOUT, Retry.BACKOFF),
        new Row(Status.Code.DEADLINE_EXCEEDED, ErrorReason.ERROR_REASON_PING_TIMEOUT, Retry.BACKOFF),
        new Row(Status.Code.DEADLINE_EXCEEDED, ErrorReason.ERROR_REASON_OPEN_TIMEOUT, Retry.BACKOFF),
        new Row(Status.Code.UNAVAILABLE, null, Retry.BACKOFF),
        new Row(Status.Code.DEADLINE_EXCEEDED, null, Retry.BACKOFF),
        new Row(Status.Code.CANCELLED, null, Retry.BACKOFF),
        new Row(Status.Code.UNKNOWN, null, Retry.BACKOFF),
        new Row(Status.Code.INTERNAL, null, Retry.BACKOFF),
        new Row(Status.Code.RESOURCE_EXHAUSTED, null, Retry.BACKOFF),
        new Row(Status.Code.UNIMPLEMENTED, null, Retry.NEVER),
        // "As PRS-RCN-1 says": never, when the application gives nothing new; the SDK here has no credentials.
        new Row(Status.Code.UNAUTHENTICATED, null, Retry.NEVER),
        new Row(Status.Code.PERMISSION_DENIED, null, Retry.NEVER),
        new Row(Status.Code.INVALID_ARGUMENT, null, Retry.NEVER),
        new Row(Status.Code.FAILED_PRECONDITION, null, Retry.NEVER),
        new Row(Status.Code.OK, null, Retry.BACKOFF));
    List<ClientCase> cases = new ArrayList<>();
    for (Row row : rows) {
      cases.add(ClientCase.checks(RULE, row.name(), CLAUSE).by(p -> endedBy(p, row)));
    }
    cases.add(ClientCase.checks(RULE, "UNSUPPORTED_VERSION (FAILED_PRECONDITION): never again with the same version",
        CLAUSE).by(RetryRows::unsupportedVersion));
    cases.add(ClientCase.checks(RULE, "UNAUTHENTICATED (UNAUTHENTICATED): once with a fresh token, then never",
        CLAUSE).by(RetryRows::unauthenticated));
    cases.add(ClientCase.checks(RULE,
        "SHUTTING_DOWN (UNAVAILABLE): at once, then with backoff (after an untimed rehearsal)", CLAUSE).by(RetryRows::shuttingDown));
    cases.add(ClientCase.checks(RULE, "OK after the SDK's own leave: no new session within "
        + RetryWatch.NEVER_WINDOW.toMillis() + " ms", CLAUSE).by(RetryRows::okAfterLeave));
    return cases;
  }

  private static void endedBy(ClientProbe p, Row row) throws InterruptedException {
    // CREDENTIALS_EXPIRED asks for fresh credentials, so that row's SDK has a token source with next tokens.
    KitCall call = row.retry == Retry.AT_ONCE
        ? p.connect("kit-first-token", "kit-fresh-token", "kit-later-token") : p.connect();
    CallFacts.inUse(p);
    String after = row.name().substring(0, row.name().indexOf(':'));
    if (row.retry == Retry.NEVER) {
      end(call, row.code, row.reason);
      RetryWatch.never(p, 1, after);
      return;
    }
    KitCall timed = RetryWatch.rehearse(p, call, c -> end(c, row.code, row.reason));
    end(timed, row.code, row.reason);
    RetryWatch.within(p, timed.index() + 1, timed.endedNanos().orElseThrow(),
        row.retry == Retry.AT_ONCE ? 0 : RetryWatch.boundMillis(1), after);
  }

  private static void unsupportedVersion(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    int version = call.open().orElseThrow().getProtocolVersion();
    // The server names only a version this SDK does not speak, so any new open with the old version is wrong.
    call.end(Status.Code.FAILED_PRECONDITION, ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION, "ended by the kit",
        Map.of("supported_versions", String.valueOf(version + 1)));
    p.server().awaitCall(1, RetryWatch.NEVER_WINDOW.plus(CallFacts.slack(p))).ifPresent(next -> {
      next.awaitInbound(ConnectRequest.FrameCase.OPEN, p.timing().requestTimeout())
          .filter(in -> in.frame().orElseThrow().getOpen().getProtocolVersion() == version)
          .ifPresent(in -> {
            throw p.failure("the SDK opened again with protocol_version " + version
                + " after UNSUPPORTED_VERSION whose supported_versions was " + (version + 1));
          });
    });
  }

  private static void unauthenticated(ClientProbe p) throws InterruptedException {
    String first = "kit-first-token";
    KitCall call = p.connect(first, "kit-fresh-token", "kit-later-token");
    p.autopilot().refuseOpens(1, Status.Code.UNAUTHENTICATED, ErrorReason.ERROR_REASON_UNAUTHENTICATED);
    call.end(Status.Code.UNAUTHENTICATED, ErrorReason.ERROR_REASON_UNAUTHENTICATED, "ended by the kit");
    KitCall again = p.awaitCall(1, p.timing().requestTimeout(), "one new session with a fresh token after "
        + "UNAUTHENTICATED");
    CallFacts.openArrival(p, again);
    String auth = again.authorization().orElse("");
    if (auth.isEmpty() || auth.contains(first)) {
      throw p.failure("after UNAUTHENTICATED the SDK opened again with authorization '" + auth + "'; only "
          + "credentials obtained anew allow that one retry");
    }
    again.awaitEnd(p.timing().requestTimeout());
    RetryWatch.never(p, 2, "a second UNAUTHENTICATED in a row");
  }

  private static void shuttingDown(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    CallFacts.inUse(p);
    KitCall timed = RetryWatch.rehearse(p, call, c -> end(c, Status.Code.UNAVAILABLE,
        ErrorReason.ERROR_REASON_SHUTTING_DOWN));
    p.autopilot().refuseOpens(1, Status.Code.UNAVAILABLE, ErrorReason.ERROR_REASON_SHUTTING_DOWN);
    end(timed, Status.Code.UNAVAILABLE, ErrorReason.ERROR_REASON_SHUTTING_DOWN);
    KitCall first = RetryWatch.within(p, timed.index() + 1, timed.endedNanos().orElseThrow(), 0, "SHUTTING_DOWN");
    first.awaitEnd(p.timing().requestTimeout());
    // Counting the rehearsal's attempt and the at-once one, this is at most wait n = 2.
    RetryWatch.within(p, first.index() + 1, first.endedNanos().orElseThrow(), RetryWatch.boundMillis(2),
        "a second SHUTTING_DOWN in a row");
  }

  private static void okAfterLeave(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    p.ok(Command.newBuilder().setClose(Close.getDefaultInstance()));
    call.awaitEnd(p.timing().requestTimeout());
    RetryWatch.never(p, 1, "the SDK's own leave or half-close, which the kit completed with OK");
  }

  private static void end(KitCall call, Status.Code code, ErrorReason reason) {
    if (code == Status.Code.OK) {
      call.endOk();
    } else {
      call.end(code, reason, "ended by the conformance kit");
    }
  }

  /** The reason's name as ErrorInfo carries it, for case names. */
  private static String reasonName(ErrorReason reason) {
    return reason.name().substring("ERROR_REASON_".length());
  }
}
