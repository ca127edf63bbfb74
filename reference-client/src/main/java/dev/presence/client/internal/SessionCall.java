package dev.presence.client.internal;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Connect} call, that is one session (PRS-TRN-1). It only carries frames; the lifecycle decides
 * what they mean. Every method but the gRPC callbacks is called under the client lock.
 */
final class SessionCall implements ClientResponseObserver<ConnectRequest, ConnectResponse> {
  private static final Logger log = LoggerFactory.getLogger(SessionCall.class);

  /** Where the call's inbound side goes; implementations take the client lock. */
  interface Events {
    void onFrame(SessionCall call, ConnectResponse frame);

    /**
     * The call ended.
     *
     * @param error the status as an exception, or null when the server completed the call
     */
    void onEnded(SessionCall call, Throwable error);
  }

  private final Events events;
  private final Credentials credentials;
  private ClientCallStreamObserver<ConnectRequest> requests;
  private boolean opened;
  private boolean heardAfterOpened;
  private boolean openedByMove;
  private boolean broken;
  private boolean left;
  private ServerLimits limits;
  private LivenessMonitor liveness;
  private final List<Future<?>> timers = new ArrayList<>(3);

  SessionCall(Events events, Credentials credentials) {
    this.events = events;
    this.credentials = credentials;
  }

  /** The credentials the call was opened with. */
  Credentials credentials() {
    return credentials;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ConnectRequest> requestStream) {
    this.requests = requestStream;
  }

  /** Whether the server's {@code opened} arrived; until then only {@code open} may be sent. */
  /** Whether a frame other than {@code opened} arrived since it opened. */
  boolean heardAfterOpened() {
    return heardAfterOpened;
  }

  void markHeardAfterOpened() {
    heardAfterOpened = true;
  }

  /** Whether the client opened it to move off a draining server. */
  boolean openedByMove() {
    return openedByMove;
  }

  void markOpenedByMove() {
    openedByMove = true;
  }

  boolean isOpened() {
    return opened;
  }

  void markOpened(ServerLimits advertised, LivenessMonitor monitor) {
    opened = true;
    limits = advertised;
    liveness = monitor;
  }

  /** The limits its {@code opened} advertised; null until opened. */
  ServerLimits limits() {
    return limits;
  }

  /** Null until opened. */
  LivenessMonitor liveness() {
    return liveness;
  }

  /** Whether the client sent {@code leave} on this call (or cancelled it before it opened). */
  boolean isLeft() {
    return left;
  }

  /** Ties a timer task to this call, to be cancelled by {@link #stopTimers()}. */
  void addTimer(Future<?> task) {
    timers.add(task);
  }

  /** Cancels the call's timers: liveness checks, open timeout, credential refresh. */
  void stopTimers() {
    timers.forEach(t -> t.cancel(false));
    timers.clear();
  }

  void send(ConnectRequest request) {
    if (broken) {
      return;
    }
    try {
      requests.onNext(request);
    } catch (RuntimeException e) {
      // The call already failed; its onError is on the way and will reconnect.
      broken = true;
      log.debug("send on ended stream", e);
    }
  }

  /** Leaves on purpose: {@code leave} then half-close, or a cancel when there is nothing to leave yet. */
  void leave() {
    left = true;
    try {
      if (opened) {
        requests.onNext(Frames.leave());
        requests.onCompleted();
      } else {
        // A half-close without open would only earn an OPEN_REQUIRED error.
        requests.cancel("client closed", null);
      }
    } catch (RuntimeException e) {
      log.debug("stream already ended while leaving", e);
    }
  }

  void abandon(String why) {
    requests.cancel(why, null);
  }

  @Override
  public void onNext(ConnectResponse value) {
    events.onFrame(this, value);
  }

  @Override
  public void onError(Throwable t) {
    events.onEnded(this, t);
  }

  @Override
  public void onCompleted() {
    events.onEnded(this, null);
  }
}
