package dev.presence.conformance.driver;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.ConnectResponse;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** How the raw driver puts frames on the wire: requests as plain bytes, responses as ConnectResponse. */
public final class WireFormat {

  // A server may advertise any max_state_depth (PRS-LIM-4 sets only a floor), and every level of a Struct costs
  // protobuf three levels of nesting, so the default limit of 100 would reject states a server may rightly send.
  private static final int RECURSION_LIMIT = 10_000;

  private WireFormat() {}

  static MethodDescriptor<byte[], ConnectResponse> connect(String fullMethodName) {
    return MethodDescriptor.<byte[], ConnectResponse>newBuilder()
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(fullMethodName)
        .setRequestMarshaller(bytes())
        .setResponseMarshaller(new Responses())
        .build();
  }

  /**
   * Decodes a ConnectResponse as the kit reads every one, without the parser's default nesting limit.
   *
   * @param stream the encoding
   * @return the frame
   * @throws IOException if it does not decode
   */
  static ConnectResponse parseResponse(InputStream stream) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(stream);
    in.setRecursionLimit(RECURSION_LIMIT);
    in.setSizeLimit(Integer.MAX_VALUE);
    return ConnectResponse.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
  }

  /** Decodes a ConnectResponse from one message's bytes, as {@link #parseResponse(InputStream)} does. */
  public static ConnectResponse parseResponse(byte[] message) throws IOException {
    return parseResponse(new ByteArrayInputStream(message));
  }

  /** @return a marshaller that passes messages through as they are, so that malformed frames can be sent */
  public static MethodDescriptor.Marshaller<byte[]> bytes() {
    return new Bytes();
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withCause(e).asRuntimeException();
      }
    }
  }

  private static final class Responses implements MethodDescriptor.Marshaller<ConnectResponse> {
    @Override
    public InputStream stream(ConnectResponse value) {
      return new ByteArrayInputStream(value.toByteArray());
    }

    @Override
    public ConnectResponse parse(InputStream stream) {
      try {
        return parseResponse(stream);
      } catch (InvalidProtocolBufferException e) {
        throw Status.INTERNAL.withDescription("undecodable ConnectResponse from the server").withCause(e)
            .asRuntimeException();
      } catch (IOException e) {
        throw Status.INTERNAL.withCause(e).asRuntimeException();
      }
    }
  }
}
