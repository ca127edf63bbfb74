package dev.presence.conformance.client.cases;

import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Follow;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.adapter.v1.SetTokens;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.adapter.Timed;
import dev.presence.conformance.client.server.Autopilot;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.ProtocolError;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** SPEC §14.1 and §15: whether, when and how often the SDK opens a new session after one ended. */
final class RetryCases {

  /** A reason no draft of presence.v1 defines, as a newer server may send. */
  private static final String UNKNOWN_REASON = "KIT_FUTURE_REASON";
  /** An ErrorReason number no draft defines. */
  private static final int UNKNOWN_REASON_NUMBER = 999;

  private RetryCases() {}

  static List<ClientCase> all() {
    List<ClientCase> cases = new ArrayList<>(RetryRows.all());
    String noRetry = "MUST NOT retry after `UNAUTHENTICATED`, `PERMISSION_DENIED`, `INVALID_ARGUMENT` or "
        + "`FAILED_PRECONDITION` without new input from the application.";
    for (Status.Code code : List.of(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED,
        Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION)) {
      cases.add(ClientCase.checks("PRS-RCN-1", code + " and the same token again: no new session within "
          + RetryWatch.NEVER_WINDOW.toMillis() + " ms", noRetry).by(p -> noNewInput(p, code)));
    }
    cases.add(ClientCase.checks("PRS-RCN-1", "a retry after UNAUTHENTICATED, if any, carries the token SetTokens gave",
        noRetry, "Fresh credentials from the application's token source count as new input (§14.1, PRS-RCN-7).")
        .by(RetryCases::newInput));
    String moreWaits = " (to " + BackoffRun.MAX_WAITS + " while all are under " + BackoffRun.SHORT_MILLIS + " ms)";
    cases.add(ClientCase.checks("PRS-RCN-1", "UNAVAILABLE again and again: waits n = 1 to " + BackoffRun.MIN_WAITS
            + moreWaits + " within the exponential bounds, and not all of n = 1 to " + BackoffRun.MAX_WAITS
            + " under " + BackoffRun.SHORT_MILLIS + " ms",
        "After an unexpected end of a session, a client SHOULD reconnect with exponential backoff and full jitter,")
        .by(p -> BackoffRun.measure(p).expectNotAllShort(p)));
    cases.add(ClientCase.checks("PRS-RCN-4", "waits n = 1 to " + BackoffRun.MIN_WAITS + moreWaits + " are within "
            + "min(30 s, 250 ms × 2ⁿ); the reset after 10 s open is not checked",
        "A client SHOULD wait before attempt n + 1 (n = 0 for the first retry) a time drawn uniformly from 0 to "
            + "min(30 s, 250 ms × 2ⁿ),")
        .by(BackoffRun::measure));
    cases.add(ClientCase.checks("PRS-RCN-5", "TOO_MANY_SESSIONS for leave_detection_millis + W after a reset: "
            + "keeps retrying, no failure reported, then reopens",
        "It MUST keep retrying `TOO_MANY_SESSIONS` with backoff for at least `leave_detection_millis` + W after it "
            + "lost the old session before it reports failure.")
        .by(RetryCases::tooManySessions));
    String byCode = "A client MUST treat an `ErrorReason` it does not know by its gRPC code (fatal)";
    cases.add(ClientCase.checks("PRS-ERR-5", "an unknown reason under UNAVAILABLE: a new session within the "
        + "backoff bound", byCode).by(RetryCases::unknownRetryable));
    cases.add(ClientCase.checks("PRS-ERR-5", "an unknown reason under INVALID_ARGUMENT: no new session within "
        + RetryWatch.NEVER_WINDOW.toMillis() + " ms", byCode).by(RetryCases::unknownFatal));
    cases.add(ClientCase.checks("PRS-ERR-5", "a ProtocolError with an unknown reason fails the follow it names",
        "or as a failure of the request named by `request_id` (non-fatal).").by(RetryCases::unknownNonFatal));
    return cases;
  }

  private static void noNewInput(ClientProbe p, Status.Code code) throws InterruptedException {
    // One token: the token source keeps returning it, so a retry would carry nothing new.
    KitCall call = p.connect("kit-only-token");
    call.end(code, null, "ended by the conformance kit");
    RetryWatch.never(p, 1, code + " while the token source had no other token");
  }

  private static void newInput(ClientProbe p) throws InterruptedException {
    String first = "kit-first-token";
    String fresh = "kit-fresh-token";
    KitCall call = p.connect(first);
    p.ok(Command.newBuilder().setSetTokens(SetTokens.newBuilder().addTokens(fresh)));
    call.end(Status.Code.UNAUTHENTICATED, null, "ended by the conformance kit");
    // Retrying is allowed, not required; what a retry may not do is send the refused token again.
    Optional<KitCall> again = p.server().awaitCall(1, RetryWatch.NEVER_WINDOW.plus(CallFacts.slack(p)));
    if (again.isPresent()) {
      CallFacts.openArrival(p, again.get());
      String auth = again.get().authorization().orElse("");
      if (!auth.contains(fresh)) {
        throw p.failure("after UNAUTHENTICATED the SDK opened again with authorization '" + auth + "'; the "
            + "application's new input was the token " + fresh);
      }
    }
  }

  private static void tooManySessions(ClientProbe p) throws InterruptedException {
    Limits limits = Autopilot.defaultLimits().toBuilder().setMaxSessionsPerUser(1).setLeaveDetectionMillis(1000)
        .build();
    p.autopilot().limits(limits);
    p.connect();
    int mark = p.mark();
    int before = p.server().calls().size();
    p.autopilot().refuseOpens(-1, Status.Code.RESOURCE_EXHAUSTED, ErrorReason.ERROR_REASON_TOO_MANY_SESSIONS);
    long lost = System.nanoTime();
    p.server().reset();
    long patience = limits.getLeaveDetectionMillis() + limits.getThrottleWindowMillis();
    Optional<Timed> early = p.sdk().awaitReport(mark, r -> r.hasError() || (r.hasConnection()
            && r.getConnection().getState() == dev.presence.conformance.adapter.v1.ConnectionState
            .CONNECTION_STATE_CLOSED),
        Duration.ofNanos(Math.max(0, lost + patience * 1_000_000L - System.nanoTime())));
    if (early.isPresent()) {
      throw p.failure("the SDK reported failure " + (early.get().nanos() - lost) / 1_000_000 + " ms after losing "
          + "its connection, within leave_detection_millis + W = " + patience + " ms of TOO_MANY_SESSIONS: "
          + CallFacts.describe(early.get().report()));
    }
    // The rule is only exercised once the SDK met TOO_MANY_SESSIONS.
    KitCall refused = p.awaitCall(before, p.timing().requestTimeout(), "an attempt after the reset");
    refused.awaitEnd(p.timing().requestTimeout());
    p.autopilot().acceptOpens();
    Reopen.awaitOpened(p, before);
    CallFacts.failureReport(p, mark).ifPresent(t -> {
      throw p.failure("the SDK reported failure while retrying TOO_MANY_SESSIONS: "
          + CallFacts.describe(t.report()));
    });
  }

  private static void unknownRetryable(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    CallFacts.inUse(p);
    KitCall timed = RetryWatch.rehearse(p, call, c -> c.endWithUnknownReason(Status.Code.UNAVAILABLE,
        UNKNOWN_REASON));
    timed.endWithUnknownReason(Status.Code.UNAVAILABLE, UNKNOWN_REASON);
    RetryWatch.within(p, timed.index() + 1, timed.endedNanos().orElseThrow(), RetryWatch.boundMillis(1),
        "UNAVAILABLE with reason " + UNKNOWN_REASON);
  }

  private static void unknownFatal(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    call.endWithUnknownReason(Status.Code.INVALID_ARGUMENT, UNKNOWN_REASON);
    RetryWatch.never(p, 1, "INVALID_ARGUMENT with reason " + UNKNOWN_REASON);
  }

  private static void unknownNonFatal(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    p.autopilot().answerFollows(false);
    CompletableFuture<Result> follow = p.sdk().submit(Command.newBuilder()
        .setFollow(Follow.newBuilder().setUserId("friend")));
    Inbound frame = call.awaitInbound(ConnectRequest.FrameCase.FOLLOW, p.timing().requestTimeout())
        .orElseThrow(() -> p.failure("the SDK sent no follow for friend"));
    call.send(ConnectResponse.newBuilder().setError(ProtocolError.newBuilder()
        .setReasonValue(UNKNOWN_REASON_NUMBER).setMessage("a reason from a newer server")
        .setRequestId(frame.frame().orElseThrow().getRequestId())).build());
    Result result;
    try {
      result = follow.get(p.timing().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw p.failure("the follow's promise did not settle after a ProtocolError with reason number "
          + UNKNOWN_REASON_NUMBER + " named its request_id");
    }
    if (!result.hasFailure()) {
      throw p.failure("the follow succeeded although a ProtocolError with reason number " + UNKNOWN_REASON_NUMBER
          + " answered it");
    }
  }
}
