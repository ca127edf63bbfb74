package dev.presence.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.support.ServerFixture;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Health checking and reflection on the same port. */
class OpsIT {
  private ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  @DisplayName("grpc.health.v1 reports SERVING overall and for presence.v1.PresenceService")
  void healthServing() {
    ManagedChannel ch = fx.channel();
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService("presence.v1.PresenceService").build())
        .getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  @DisplayName("Health turns NOT_SERVING as soon as shutdown begins")
  void healthNotServingOnShutdown() throws Exception {
    ManagedChannel ch = fx.channel();
    CompletableFuture<ServingStatus> last = new CompletableFuture<>();
    HealthGrpc.newStub(ch).watch(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
      @Override
      public void onNext(io.grpc.health.v1.HealthCheckResponse value) {
        if (value.getStatus() == ServingStatus.NOT_SERVING) {
          last.complete(value.getStatus());
        }
      }

      @Override
      public void onError(Throwable t) {
        last.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        last.completeExceptionally(new IllegalStateException("watch ended without NOT_SERVING"));
      }
    });
    // The watch is established once the first (SERVING) answer is produced; a blocking check orders us after it.
    HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
    CompletableFuture.runAsync(() -> {
      try {
        fx.server().shutdown(java.time.Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(last.get(5, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
  }

  @Test
  @DisplayName("Server reflection v1 lists presence.v1.PresenceService")
  void reflection() throws Exception {
    ManagedChannel ch = fx.channel();
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(ch).serverReflectionInfo(
        new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> services = answer.get(5, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
        .map(s -> s.getName()).toList();
    req.onCompleted();
    assertThat(services).contains("presence.v1.PresenceService", "grpc.health.v1.Health");
  }
}
