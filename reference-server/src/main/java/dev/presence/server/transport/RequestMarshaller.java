package dev.presence.server.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.presence.protocol.v1.ConnectRequest;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Parses inbound frames without ever failing the call. gRPC would end a call whose message does not parse
 * with UNKNOWN and no presence.v1 reason; here such a frame becomes a frame with no kind instead, which
 * the session answers with {@code UNSUPPORTED_FRAME} (PRS-ERR-4) or, before {@code open},
 * {@code OPEN_REQUIRED}. The bytes ride along as an unknown field, so the frame keeps its size for the
 * frame-size limit (PRS-TRN-4) and nothing of it is interpreted.
 */
final class RequestMarshaller implements MethodDescriptor.Marshaller<ConnectRequest> {
  static final RequestMarshaller INSTANCE = new RequestMarshaller();
  /** The largest field number protobuf allows; presence.v1 will never use it. */
  private static final int UNPARSEABLE_FIELD = 536_870_911;

  private RequestMarshaller() {}

  @Override
  public InputStream stream(ConnectRequest value) {
    return new ByteArrayInputStream(value.toByteArray());
  }

  @Override
  public ConnectRequest parse(InputStream stream) {
    byte[] bytes;
    try {
      bytes = readMessage(stream);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return ConnectRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return ConnectRequest.newBuilder()
          .setUnknownFields(UnknownFieldSet.newBuilder()
              .addField(UNPARSEABLE_FIELD, UnknownFieldSet.Field.newBuilder()
                  .addLengthDelimited(ByteString.copyFrom(bytes)).build())
              .build())
          .build();
    }
  }

  /** gRPC's own streams know their length: one exact array then, instead of an 8 KiB scratch buffer and a copy. */
  private static byte[] readMessage(InputStream stream) throws IOException {
    if (!(stream instanceof KnownLength)) {
      return stream.readAllBytes();
    }
    int size = stream.available();
    byte[] bytes = new byte[size];
    int read = stream.readNBytes(bytes, 0, size);
    if (read != size || stream.read() != -1) {
      throw new IOException("a message of " + size + " bytes had " + (read != size ? read : "more") + " bytes");
    }
    return bytes;
  }
}
