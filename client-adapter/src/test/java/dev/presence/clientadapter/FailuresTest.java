package dev.presence.clientadapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.presence.client.PresenceException;
import dev.presence.conformance.adapter.v1.Failure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void aCallEndWithErrorInfoGivesCodeAndReason() {
    StatusRuntimeException end = StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.UNAUTHENTICATED_VALUE)
        .setMessage("expired")
        .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("presence.v1").setReason("CREDENTIALS_EXPIRED")
            .build()))
        .build());
    Failure f = Failures.of(new CompletionException(
        new PresenceException("CREDENTIALS_EXPIRED", "expired", true, end)));
    assertThat(f.getCode()).isEqualTo("UNAUTHENTICATED");
    assertThat(f.getReason()).isEqualTo("CREDENTIALS_EXPIRED");
  }

  @Test
  void aCallEndWithoutErrorInfoGivesOnlyTheCode() {
    StatusRuntimeException end = Status.UNAVAILABLE.asRuntimeException();
    Failure f = Failures.of(new PresenceException("UNAVAILABLE", "UNAVAILABLE", true, end));
    assertThat(f.getCode()).isEqualTo("UNAVAILABLE");
    assertThat(f.getReason()).isEmpty();
  }

  @Test
  void theClientsOwnRefusalHasAReasonButNoCode() {
    Failure f = Failures.of(new PresenceException("STATE_TOO_LARGE", "too large", false, null));
    assertThat(f.getCode()).isEmpty();
    assertThat(f.getReason()).isEqualTo("STATE_TOO_LARGE");
  }

  @Test
  void aReasonThatIsNotPresenceV1StaysInTheMessage() {
    Failure f = Failures.of(new PresenceException("CLIENT_CLOSED", "the client was closed", true, null));
    assertThat(f.getReason()).isEmpty();
    assertThat(f.getMessage()).contains("CLIENT_CLOSED");
  }
}
