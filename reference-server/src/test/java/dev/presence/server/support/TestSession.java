package dev.presence.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A raw presence.v1 client for tests: every frame received is queued with its arrival time, and every
 * wait has a deadline, so a failing expectation fails fast instead of hanging.
 */
public final class TestSession implements ClientResponseObserver<ConnectRequest, ConnectResponse> {
  /** How long any expected frame may take; generous because CI machines stall. */
  public static final Duration DEADLINE = Duration.ofSeconds(5);

  private final Inbox inbox = new Inbox();
  private final CompletableFuture<Status> closed = new CompletableFuture<>();
  private ClientCallStreamObserver<ConnectRequest> requests;
  private Opened opened;

  /** A frame and when it arrived, in nanoseconds of {@link System#nanoTime()}. */
  public record Received(long atNanos, ConnectResponse frame) {}

  private TestSession() {}

  /** @param channel a channel to the server @return a started call that has sent nothing yet */
  public static TestSession connect(io.grpc.Channel channel) {
    TestSession s = new TestSession();
    PresenceServiceGrpc.newStub(channel).connect(s);
    return s;
  }

  /** Connects, opens and waits for {@code opened}. */
  public static TestSession open(io.grpc.Channel channel, String room, String user) {
    TestSession s = connect(channel);
    s.send(Frames.open(room, user));
    ConnectResponse first = s.next();
    assertThat(first.hasOpened()).as("first frame is opened, was %s", first).isTrue();
    s.opened = first.getOpened();
    return s;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ConnectRequest> requestStream) {
    requests = requestStream;
  }

  @Override
  public void onNext(ConnectResponse value) {
    inbox.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
    closed.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    closed.complete(Status.OK);
  }

  public Opened opened() {
    return opened;
  }

  public synchronized TestSession send(ConnectRequest frame) {
    requests.onNext(frame);
    return this;
  }

  public synchronized void halfClose() {
    requests.onCompleted();
  }

  public synchronized void cancel() {
    requests.cancel("test cancels", null);
  }

  /**
   * Waits until the server has processed every frame sent so far: frames of one session are handled in
   * order (PRS-TRN-2) and a ping is answered at once, so the pong proves the earlier frames took effect.
   */
  public void sync() {
    long nonce = System.nanoTime();
    send(Frames.ping(nonce));
    await("pong " + nonce, f -> f.hasPong() && f.getPong().getNonce() == nonce);
  }

  /** @return the next frame of any kind, within {@link #DEADLINE} */
  public ConnectResponse next() {
    return inbox.next(DEADLINE);
  }

  /**
   * Skips frames until one matches, failing on the deadline.
   *
   * @param what description for the failure message
   * @param match the wanted frame
   * @return the frame
   */
  public ConnectResponse await(String what, Predicate<ConnectResponse> match) {
    return awaitReceived(what, match).frame();
  }

  /** Skips frames until one matches, failing on the deadline; the frame comes with its arrival time. */
  public Received awaitReceived(String what, Predicate<ConnectResponse> match) {
    return inbox.awaitReceived(what, match, DEADLINE);
  }

  /** @return a live or tagged event about the user, waiting for it */
  public PresenceEvent awaitEvent(String userId, Predicate<PresenceEvent> match) {
    return inbox.awaitEvent(userId, match, DEADLINE);
  }

  /** Collects every frame arriving during a quiet period, to show something does NOT happen. */
  public List<ConnectResponse> drainFor(Duration quiet) {
    return inbox.drainFor(quiet);
  }

  /** @return every frame taken from the inbox so far, in order */
  public List<Received> history() {
    return inbox.history();
  }

  /** @return the status the call ended with, waiting up to the deadline */
  public Status awaitClose() {
    try {
      return closed.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("call did not end within " + DEADLINE.toMillis() + " ms", e);
    }
  }

  /** @param within the longest wait @return the status the call ended with */
  public Status awaitClose(Duration within) {
    try {
      return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("call did not end within " + within.toMillis() + " ms", e);
    }
  }

  /** @return the ErrorInfo of the fatal status the call ended with */
  public ErrorInfo awaitErrorInfo() {
    Status status = awaitClose();
    try {
      com.google.rpc.Status details = StatusProto.fromThrowable(error);
      assertThat(details).as("status details of %s", status).isNotNull();
      assertThat(details.getDetailsCount()).isEqualTo(1);
      return details.getDetails(0).unpack(ErrorInfo.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private volatile Throwable error;
}
