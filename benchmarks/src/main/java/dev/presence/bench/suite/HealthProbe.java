package dev.presence.bench.suite;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a server's {@code grpc.health.v1} check (the overall service, "") to say SERVING: the moment a
 * load balancer would start sending it sessions, which is when a cold start is measured from.
 */
final class HealthProbe {
  private static final long POLL_MILLIS = 10;
  private static final long CALL_TIMEOUT_MILLIS = 1_000;

  private HealthProbe() {}

  /** @throws IllegalStateException when the server does not say SERVING in time */
  static void awaitServing(int port, long timeoutMillis) throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      ServingStatus last = ServingStatus.UNKNOWN;
      while (System.nanoTime() < deadline) {
        try {
          last = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
              .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
          if (last == ServingStatus.SERVING) {
            return;
          }
        } catch (StatusRuntimeException notYet) {
          // Not listening yet, or no health service yet: poll again.
        }
        Thread.sleep(POLL_MILLIS);
      }
      throw new IllegalStateException("health check said " + last + ", not SERVING, after " + timeoutMillis + " ms");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
