package dev.presence.server.support;

import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@code Connect} call that sends arbitrary bytes as messages, for frames no protobuf encoder would write. */
public final class RawCall {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final ClientCall<byte[], byte[]> call;
  private final CompletableFuture<Status> closed = new CompletableFuture<>();
  private volatile Metadata trailers;
  private final java.util.concurrent.LinkedBlockingQueue<byte[]> messages = new java.util.concurrent.LinkedBlockingQueue<>();

  private RawCall(ClientCall<byte[], byte[]> call) {
    this.call = call;
  }

  /** @param channel to the server @return a started call reading every response */
  public static RawCall start(Channel channel) {
    MethodDescriptor<byte[], byte[]> method = PresenceServiceGrpc.getConnectMethod().toBuilder(BYTES, BYTES).build();
    RawCall raw = new RawCall(channel.newCall(method, CallOptions.DEFAULT));
    raw.call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        raw.messages.add(message);
        raw.call.request(1);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        raw.trailers = trailers;
        raw.closed.complete(status);
      }
    }, new Metadata());
    raw.call.request(1);
    return raw;
  }

  /** @param message sent as one gRPC message, whatever it contains */
  public RawCall send(byte[] message) {
    call.sendMessage(message);
    return this;
  }

  /**
   * @param match the wanted response, parsed as a ConnectResponse
   * @return its bytes; earlier responses are skipped
   */
  public byte[] awaitMessage(java.util.function.Predicate<dev.presence.protocol.v1.ConnectResponse> match)
      throws Exception {
    long deadline = System.nanoTime() + TestSession.DEADLINE.toNanos();
    while (true) {
      byte[] m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (m == null) {
        throw new AssertionError("no matching response within " + TestSession.DEADLINE.toMillis() + " ms");
      }
      if (match.test(dev.presence.protocol.v1.ConnectResponse.parseFrom(m))) {
        return m;
      }
    }
  }

  /** @return the ErrorInfo in the trailers the call ended with, within the test deadline */
  public com.google.rpc.ErrorInfo awaitErrorInfo() throws Exception {
    Status status = awaitClose();
    com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromStatusAndTrailers(status, trailers);
    if (details == null || details.getDetailsCount() != 1) {
      throw new AssertionError("no ErrorInfo in the end of the call: " + status);
    }
    return details.getDetails(0).unpack(com.google.rpc.ErrorInfo.class);
  }

  /** @return the status the call ended with, within the test deadline */
  public Status awaitClose() throws Exception {
    return closed.get(TestSession.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }
}
