package dev.presence.server.transport;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.server.auth.Credentials;
import dev.presence.server.fanout.Frame;
import dev.presence.server.internal.Fatal;
import dev.presence.server.session.CallHandle;
import dev.presence.server.session.CallStatus;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Connect} call on the gRPC binding: reports the call's events to its {@link SessionCall} and
 * carries the session's frames and its end, a status with the ErrorInfo in {@code grpc-status-details-bin}
 * (PRS-ERR-2).
 */
final class GrpcCall extends ServerCall.Listener<ConnectRequest> implements CallHandle {
  private static final Logger log = LoggerFactory.getLogger(GrpcCall.class);
  /** Where credentials travel on this binding (PRS-TRN-3). */
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final ServerCall<ConnectRequest, Frame> call;
  private final CancelClassifier cancelClassifier;
  private final SessionCall session;
  private boolean headersSent;

  private GrpcCall(ServerCall<ConnectRequest, Frame> call, Metadata headers, SessionServices services,
      CancelClassifier cancelClassifier) {
    this.call = call;
    this.cancelClassifier = cancelClassifier;
    this.session = new SessionCall(this, credentials(headers), services);
  }

  /** @return the listener of a new call, started */
  static GrpcCall start(ServerCall<ConnectRequest, Frame> call, Metadata headers, SessionServices services,
      CancelClassifier cancelClassifier) {
    GrpcCall grpcCall = new GrpcCall(call, headers, services, cancelClassifier);
    grpcCall.session.start();
    return grpcCall;
  }

  /** @return what {@code authorization} holds; anything but {@code Bearer <token>} is malformed */
  static Credentials credentials(Metadata headers) {
    String header = headers.get(AUTHORIZATION);
    if (header == null) {
      return Credentials.none();
    }
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Credentials.malformed("authorization metadata is not a bearer token");
    }
    return Credentials.bearer(header.substring(BEARER.length()).trim());
  }

  @Override
  public void onMessage(ConnectRequest frame) {
    session.onFrame(frame);
  }

  @Override
  public void onHalfClose() {
    session.onHalfClose();
  }

  @Override
  public void onCancel() {
    session.onCancel(cancelClassifier.classify(call));
  }

  @Override
  public void onReady() {
    session.onReady();
  }

  @Override
  public void send(Frame frame) {
    if (!headersSent) {
      call.sendHeaders(new Metadata());
      headersSent = true;
    }
    call.sendMessage(frame);
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public void requestNext() {
    call.request(1);
  }

  @Override
  public void close(CallStatus status) {
    try {
      if (status.hasErrorInfo()) {
        ErrorInfo info = ErrorInfo.newBuilder()
            .setDomain(Fatal.DOMAIN)
            .setReason(status.reason())
            .putAllMetadata(status.metadata())
            .build();
        com.google.rpc.Status details = com.google.rpc.Status.newBuilder()
            .setCode(status.code().getNumber())
            .setMessage(status.message())
            .addDetails(Any.pack(info))
            .build();
        io.grpc.StatusRuntimeException e = StatusProto.toStatusRuntimeException(details);
        call.close(e.getStatus(), e.getTrailers());
      } else {
        Status grpcStatus = Status.fromCodeValue(status.code().getNumber());
        call.close(status.message().isEmpty() ? grpcStatus : grpcStatus.withDescription(status.message()),
            new Metadata());
      }
    } catch (IllegalStateException alreadyClosed) {
      log.debug("event=close_ignored");
    }
  }
}
