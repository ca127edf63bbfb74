package dev.presence.server.warmup;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/** A warm-up user on the gRPC binding. */
final class GrpcWarmupSession extends WarmupSession {
  private ClientCallStreamObserver<ConnectRequest> requests;

  GrpcWarmupSession(ManagedChannel channel, String roomId, String userId, LatenessSlices lateness) {
    super(roomId, userId, lateness);
    PresenceServiceGrpc.newStub(channel).connect(new ClientResponseObserver<ConnectRequest, ConnectResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<ConnectRequest> stream) {
        requests = stream;
      }

      @Override
      public void onNext(ConnectResponse frame) {
        onFrame(frame);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
  }

  @Override
  synchronized void write(ConnectRequest frame) {
    // A warm-up state the transport cannot take now would only be coalesced away by the server anyway.
    if (requests.isReady() || !frame.hasUpdateState()) {
      requests.onNext(frame);
    }
  }

  @Override
  synchronized void close() {
    requests.onCompleted();
  }
}
