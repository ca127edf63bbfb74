package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.internal.RetryPolicy.Retry;
import dev.presence.client.testing.Covers;
import io.grpc.Status.Code;
import org.junit.jupiter.api.Test;

/** Every row of the retry column of SPEC §14, as {@link RetryPolicy} classifies it. */
@Covers("PRS-RCN-3")
class RetryPolicyTest {

  private static Retry fatal(Code code, String reason) {
    return RetryPolicy.classify(code, reason, false);
  }

  @Test
  void clientBugsAreNeverRetried() {
    assertThat(fatal(Code.INVALID_ARGUMENT, "OPEN_REQUIRED")).isEqualTo(Retry.NEVER);
    assertThat(fatal(Code.INVALID_ARGUMENT, "INVALID_ROOM_ID")).isEqualTo(Retry.NEVER);
    assertThat(fatal(Code.INVALID_ARGUMENT, "MALFORMED_FRAME")).isEqualTo(Retry.NEVER);
    assertThat(fatal(Code.RESOURCE_EXHAUSTED, "FRAME_TOO_LARGE")).isEqualTo(Retry.NEVER);
  }

  @Test
  void unsupportedVersionIsNeverRetriedWithTheSameVersion() {
    assertThat(fatal(Code.FAILED_PRECONDITION, "UNSUPPORTED_VERSION")).isEqualTo(Retry.NEVER);
  }

  @Test
  void unauthenticatedOnlyWithNewCredentials() {
    assertThat(fatal(Code.UNAUTHENTICATED, "UNAUTHENTICATED")).isEqualTo(Retry.NEW_CREDENTIALS);
  }

  @Covers("PRS-RCN-7")
  @Test
  void expiredCredentialsAtOnce() {
    assertThat(fatal(Code.UNAUTHENTICATED, "CREDENTIALS_EXPIRED")).isEqualTo(Retry.AT_ONCE);
  }

  @Test
  void roomForbiddenNever() {
    assertThat(fatal(Code.PERMISSION_DENIED, "ROOM_FORBIDDEN")).isEqualTo(Retry.NEVER);
  }

  @Covers("PRS-RCN-5")
  @Test
  void tooManySessionsWithBackoff() {
    assertThat(fatal(Code.RESOURCE_EXHAUSTED, "TOO_MANY_SESSIONS")).isEqualTo(Retry.BACKOFF);
  }

  @Test
  void timeoutsWithBackoff() {
    assertThat(fatal(Code.DEADLINE_EXCEEDED, "IDLE_TIMEOUT")).isEqualTo(Retry.BACKOFF);
    assertThat(fatal(Code.DEADLINE_EXCEEDED, "PING_TIMEOUT")).isEqualTo(Retry.BACKOFF);
    assertThat(fatal(Code.DEADLINE_EXCEEDED, "OPEN_TIMEOUT")).isEqualTo(Retry.BACKOFF);
  }

  @Test
  void shuttingDownAtOnce() {
    assertThat(fatal(Code.UNAVAILABLE, "SHUTTING_DOWN")).isEqualTo(Retry.AT_ONCE);
  }

  @Test
  void transportFailuresWithoutErrorInfoWithBackoff() {
    for (Code code : new Code[] {Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED, Code.CANCELLED, Code.UNKNOWN,
        Code.INTERNAL}) {
      assertThat(fatal(code, null)).as(code.name()).isEqualTo(Retry.BACKOFF);
    }
  }

  @Covers("PRS-EVO-7")
  @Test
  void unimplementedNever() {
    assertThat(fatal(Code.UNIMPLEMENTED, null)).isEqualTo(Retry.NEVER);
  }

  @Covers("PRS-RCN-1")
  @Test
  void refusalsWithoutErrorInfoAsRcn1() {
    assertThat(fatal(Code.PERMISSION_DENIED, null)).isEqualTo(Retry.NEVER);
    assertThat(fatal(Code.INVALID_ARGUMENT, null)).isEqualTo(Retry.NEVER);
    assertThat(fatal(Code.FAILED_PRECONDITION, null)).isEqualTo(Retry.NEVER);
    // New credentials are the new input from the application that RCN-1 asks for.
    assertThat(fatal(Code.UNAUTHENTICATED, null)).isEqualTo(Retry.NEW_CREDENTIALS);
  }

  @Test
  void okIsRetriedUnlessTheClientLeft() {
    assertThat(RetryPolicy.classify(Code.OK, null, true)).isEqualTo(Retry.NEVER);
    assertThat(RetryPolicy.classify(Code.OK, null, false)).isEqualTo(Retry.BACKOFF);
  }

  @Covers("PRS-ERR-5")
  @Test
  void anUnknownReasonIsJudgedByItsCode() {
    assertThat(fatal(Code.UNAVAILABLE, "SOME_FUTURE_REASON")).isEqualTo(Retry.BACKOFF);
    assertThat(fatal(Code.PERMISSION_DENIED, "SOME_FUTURE_REASON")).isEqualTo(Retry.NEVER);
  }
}
