package dev.presence.conformance.driver;

import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.ConnectResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A call on the gRPC binding (SPEC.md §2.1): one {@code Connect} call whose requests are plain bytes, with inbound
 * flow control in the session's hands, and whose end is read from the status and its {@code ErrorInfo} details.
 */
final class GrpcCall implements WireCall {

  private static final String ERROR_INFO_DOMAIN = "presence.v1";

  private final Observer observer;

  private GrpcCall(Observer observer) {
    this.observer = observer;
  }

  /**
   * Starts a call; nothing is sent yet.
   *
   * @param channel the channel to the server
   * @param fullMethodName the method path, such as {@code presence.v1.PresenceService/Connect}
   * @param headers call metadata, such as {@code authorization}
   * @param listener hears frames and the end
   */
  static GrpcCall start(Channel channel, String fullMethodName, Metadata headers, Listener listener) {
    Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    Observer observer = new Observer(listener);
    ClientCalls.asyncBidiStreamingCall(withHeaders.newCall(WireFormat.connect(fullMethodName), CallOptions.DEFAULT),
        observer);
    return new GrpcCall(observer);
  }

  // A gRPC stream observer is not thread-safe, so every outbound action is serialized here.
  @Override
  public synchronized void send(byte[] message) {
    observer.requests.onNext(message.clone());
  }

  @Override
  public synchronized void halfClose() {
    observer.requests.onCompleted();
  }

  @Override
  public synchronized void cancel() {
    observer.requests.cancel("cancelled by the conformance kit", null);
  }

  @Override
  public void request() {
    observer.requests.request(1);
  }

  private static final class Observer implements ClientResponseObserver<byte[], ConnectResponse> {
    private final Listener listener;
    private final AtomicBoolean ended = new AtomicBoolean();
    private ClientCallStreamObserver<byte[]> requests;

    Observer(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
      this.requests = requestStream;
      requestStream.disableAutoInboundFlowControl();
    }

    @Override
    public void onNext(ConnectResponse frame) {
      listener.onFrame(frame);
    }

    @Override
    public void onError(Throwable t) {
      Status status = Status.fromThrowable(t);
      Optional<ErrorInfo> info = errorInfo(t);
      end(new CallEnd(status.getCode(), info.map(ErrorInfo::getReason).orElse(""),
          info.map(ErrorInfo::getMetadataMap).orElse(Map.of()),
          status.getDescription() == null ? "" : status.getDescription(), Optional.empty()));
    }

    @Override
    public void onCompleted() {
      end(CallEnd.bare(Status.Code.OK, "", Optional.empty()));
    }

    private void end(CallEnd end) {
      if (ended.compareAndSet(false, true)) {
        listener.onEnd(end);
      }
    }

    /** The ErrorInfo of domain presence.v1 in the status details (PRS-ERR-2), if there is one that decodes. */
    private static Optional<ErrorInfo> errorInfo(Throwable t) {
      com.google.rpc.Status details = StatusProto.fromThrowable(t);
      if (details == null) {
        return Optional.empty();
      }
      return details.getDetailsList().stream()
          .filter(any -> any.is(ErrorInfo.class))
          .flatMap(any -> {
            try {
              return java.util.stream.Stream.of(any.unpack(ErrorInfo.class));
            } catch (com.google.protobuf.InvalidProtocolBufferException undecodable) {
              return java.util.stream.Stream.empty();
            }
          })
          .filter(info -> info.getDomain().equals(ERROR_INFO_DOMAIN))
          .findFirst();
    }
  }
}
