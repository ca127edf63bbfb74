package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.Main;
import dev.presence.server.support.ChildProcess;
import dev.presence.server.support.Frames;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real process, stopped the way orchestrators stop it: SIGTERM, then a bounded wait. */
class SigtermShutdownIT {
  private static final int GRACE_MILLIS = 3000;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  @Test
  @DisplayName("PRS-END-5 on SIGTERM without a drain window: NOT_SERVING, sessions get the departures then UNAVAILABLE/SHUTTING_DOWN, exit 0 within grace")
  void sigterm() throws Exception {
    try (ChildProcess server = ChildProcess.start(Main.class, "--host", "127.0.0.1", "--port", "0",
        "--metrics-port", "0", "--drain-millis", "0", "--shutdown-grace-millis", String.valueOf(GRACE_MILLIS))) {
      String line = server.awaitLine("listening line", l -> l.contains("listening on"), Duration.ofSeconds(30));
      Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(line);
      assertThat(m.find()).as(line).isTrue();
      assertThat(line).contains("metrics=off").contains("plaintext");
      channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(m.group(1))).usePlaintext().build();

      CompletableFuture<Long> notServingAt = new CompletableFuture<>();
      HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
        @Override
        public void onNext(HealthCheckResponse value) {
          if (value.getStatus() == ServingStatus.NOT_SERVING) {
            notServingAt.complete(System.nanoTime());
          }
        }

        @Override
        public void onError(Throwable t) {
          notServingAt.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {}
      });
      TestSession alice = TestSession.open(channel, "r", "alice");
      TestSession bob = TestSession.open(channel, "r", "bob");
      bob.send(subscribe(1, "all", all()));
      bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
      alice.send(update(1));
      bob.awaitEvent("alice", x(1));

      long termAt = System.nanoTime();
      server.process().destroy();

      // Alice opened first, so she is ended first and bob, still open, receives her departure.
      assertThat(alice.awaitErrorInfo().getReason()).isEqualTo("SHUTTING_DOWN");
      assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_LEFT));
      bob.await("member_left", ConnectResponse::hasMemberLeft);
      assertThat(bob.awaitErrorInfo().getReason()).isEqualTo("SHUTTING_DOWN");
      assertThat(bob.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      // Health went NOT_SERVING once SIGTERM arrived (the server announces it before ending any session).
      assertThat(notServingAt.get(5, TimeUnit.SECONDS)).isBetween(termAt, System.nanoTime());

      // No new sessions once shutdown began.
      TestSession late = TestSession.connect(channel);
      late.send(Frames.open("r", "carol"));
      assertThat(late.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

      // Tolerance: 2 s over the grace period for JVM exit on a loaded machine.
      assertThat(server.process().waitFor(GRACE_MILLIS + 2000, TimeUnit.MILLISECONDS)).isTrue();
      // A clean stop is a success, not death by signal (128 + 15).
      assertThat(server.process().exitValue()).isZero();
    }
  }
}
