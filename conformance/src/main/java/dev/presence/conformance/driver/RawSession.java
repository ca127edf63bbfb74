package dev.presence.conformance.driver;

import com.google.rpc.ErrorInfo;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.History;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import dev.presence.protocol.v1.Pong;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One presence.v1 session driven frame by frame, with no client logic: what the kit sends is exactly what goes on
 * the wire, so client behaviour can never mask a server fault, and malformed or over-rate frames can be sent on
 * purpose. Every frame in both directions and the end of the call are recorded in a {@link History}.
 *
 * <p>Requests go out as bytes, so a case can also send bytes that are no ConnectRequest at all (PRS-TRN-9, PRS-IDN-7),
 * and reading can be paused to play a subscriber whose call accepts no writes (PRS-TRN-7, PRS-END-6).
 *
 * <p>Thread-safe: frames may be sent from any thread; sends are serialized because a gRPC stream observer is not
 * thread-safe.
 */
public final class RawSession {

  private static final String ERROR_INFO_DOMAIN = "presence.v1";

  private final String name;
  private final History history;
  private final ClientCallStreamObserver<byte[]> requests;
  private final AtomicBoolean ended;
  private final Recorder recorder;
  private final Object sendLock = new Object();

  private RawSession(String name, History history, Recorder recorder) {
    this.name = name;
    this.history = history;
    this.requests = recorder.requests;
    this.ended = recorder.ended;
    this.recorder = recorder;
  }

  /**
   * Starts a {@code Connect} call. No frame is sent yet.
   *
   * @param channel the channel to the server under test
   * @param name the kit's name for this session, used in the history
   * @param headers call metadata, for example {@code authorization}; may be empty
   * @param history where to record the session
   * @return the session
   */
  public static RawSession start(Channel channel, String name, Metadata headers, History history) {
    return startAt(channel, PresenceServiceGrpc.getConnectMethod().getFullMethodName(), name, headers, history);
  }

  /**
   * Starts a call on another method path, for example a later protocol version's (PRS-EVO-7). No frame is sent yet.
   *
   * @param channel the channel to the server under test
   * @param fullMethodName the path, such as {@code presence.v2.PresenceService/Connect}
   * @param name the kit's name for this session, used in the history
   * @param headers call metadata; may be empty
   * @param history where to record the session
   * @return the session
   */
  public static RawSession startAt(Channel channel, String fullMethodName, String name, Metadata headers,
      History history) {
    Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    Recorder recorder = new Recorder(name, history);
    ClientCalls.asyncBidiStreamingCall(withHeaders.newCall(WireFormat.connect(fullMethodName), CallOptions.DEFAULT),
        recorder);
    return new RawSession(name, history, recorder);
  }

  /** Returns the kit's name for this session. */
  public String name() {
    return name;
  }

  /** Returns whether the call has ended, from either side. */
  public boolean ended() {
    return ended.get();
  }

  /**
   * Sends one frame, recording it first so that its timestamp precedes any reaction to it.
   *
   * @param frame the frame
   * @return false if the call had already ended and nothing was sent
   */
  public boolean send(ConnectRequest frame) {
    synchronized (sendLock) {
      if (ended.get()) {
        return false;
      }
      history.append(new Observation.Sent(history.now(), name, frame));
      requests.onNext(frame.toByteArray());
      return true;
    }
  }

  /**
   * Sends bytes as one gRPC message, whether or not they decode as a ConnectRequest. The history does not record
   * them, since it holds only frames; the case that sends them says what they were.
   *
   * @param message the message's bytes
   * @return false if the call had already ended and nothing was sent
   */
  public boolean sendBytes(byte[] message) {
    synchronized (sendLock) {
      if (ended.get()) {
        return false;
      }
      requests.onNext(message.clone());
      return true;
    }
  }

  /**
   * Answers every server ping from now on with a pong of the same nonce, sent as soon as the ping arrives and
   * recorded like any frame the kit sends. Call it only for a session whose open declares {@code CAPABILITY_PING}:
   * a session that did not declare it leaves pings unanswered, so that a server ending it for that shows
   * (PRS-LIV-4).
   */
  public void answerPings() {
    recorder.pongs = this;
  }

  /**
   * Stops taking frames from the call, so that the server's writes back up once gRPC flow control fills, as with a
   * subscriber on a stalled network. Frames already in flight may still arrive.
   */
  public void pauseReading() {
    recorder.paused = true;
  }

  /** Takes frames again after {@link #pauseReading()}. */
  public void resumeReading() {
    recorder.paused = false;
    recorder.requests.request(1);
  }

  /** Half-closes the call: the client will send nothing more (a clean close). */
  public void halfClose() {
    synchronized (sendLock) {
      if (!ended.get()) {
        history.append(new Observation.KitEnded(history.now(), name, EndKind.HALF_CLOSE));
        requests.onCompleted();
      }
    }
  }

  /** Cancels the call, as a client does when it goes away without closing. */
  public void cancel() {
    synchronized (sendLock) {
      if (ended.compareAndSet(false, true)) {
        history.append(new Observation.KitEnded(history.now(), name, EndKind.CANCEL));
        requests.cancel("cancelled by the conformance kit", null);
      }
    }
  }

  private static final class Recorder implements ClientResponseObserver<byte[], ConnectResponse> {
    private final String name;
    private final History history;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean paused;
    private volatile RawSession pongs;
    private ClientCallStreamObserver<byte[]> requests;

    Recorder(String name, History history) {
      this.name = name;
      this.history = history;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
      this.requests = requestStream;
      requestStream.disableAutoInboundFlowControl();
    }

    @Override
    public void onNext(ConnectResponse frame) {
      history.append(new Observation.Received(history.now(), name, frame));
      RawSession answering = pongs;
      if (answering != null && frame.hasPing()) {
        answering.send(ConnectRequest.newBuilder().setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce()))
            .build());
      }
      if (!paused) {
        requests.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      Status status = Status.fromThrowable(t);
      Optional<ErrorInfo> info = errorInfo(t);
      ended.set(true);
      history.append(
          new Observation.Ended(
              history.now(), name, status.getCode(), info.map(ErrorInfo::getReason).orElse(""),
              info.map(ErrorInfo::getMetadataMap).orElse(Map.of()), nullToEmpty(status.getDescription())));
    }

    @Override
    public void onCompleted() {
      ended.set(true);
      history.append(new Observation.Ended(history.now(), name, Status.Code.OK, "", Map.of(), ""));
    }

    private static Optional<ErrorInfo> errorInfo(Throwable t) {
      com.google.rpc.Status details = StatusProto.fromThrowable(t);
      if (details == null) {
        return Optional.empty();
      }
      return details.getDetailsList().stream()
          .filter(any -> any.is(ErrorInfo.class))
          .map(RawSession::unpackErrorInfo)
          .filter(info -> info.getDomain().equals(ERROR_INFO_DOMAIN))
          .findFirst();
    }
  }

  private static ErrorInfo unpackErrorInfo(com.google.protobuf.Any any) {
    try {
      return any.unpack(ErrorInfo.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new StatusRuntimeException(
          Status.INTERNAL.withDescription("undecodable ErrorInfo in status details").withCause(e));
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
