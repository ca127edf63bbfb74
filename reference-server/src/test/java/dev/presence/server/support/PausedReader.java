package dev.presence.server.support;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client that reads nothing until told to: the server's writes pile up in flow control until the call
 * stops accepting them. Once resumed it reads everything, in order.
 */
public final class PausedReader implements ClientResponseObserver<ConnectRequest, ConnectResponse> {
  private final LinkedBlockingQueue<ConnectResponse> inbox = new LinkedBlockingQueue<>();
  private ClientCallStreamObserver<ConnectRequest> requests;

  private PausedReader() {}

  /** @param channel a channel, best with a small fixed flow-control window @return a started, paused call */
  public static PausedReader connect(Channel channel) {
    PausedReader reader = new PausedReader();
    PresenceServiceGrpc.newStub(channel).connect(reader);
    return reader;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ConnectRequest> requestStream) {
    requests = requestStream;
    requestStream.disableAutoRequestWithInitial(0);
  }

  public synchronized PausedReader send(ConnectRequest frame) {
    requests.onNext(frame);
    return this;
  }

  /** Starts reading, without limit. */
  public void resume() {
    requests.request(Integer.MAX_VALUE);
  }

  /** @param within the longest wait @return the next frame, or null if none came */
  public ConnectResponse poll(Duration within) throws InterruptedException {
    return inbox.poll(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void onNext(ConnectResponse value) {
    inbox.add(value);
  }

  @Override
  public void onError(Throwable t) {}

  @Override
  public void onCompleted() {}
}
