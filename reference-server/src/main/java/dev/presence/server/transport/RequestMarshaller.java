package dev.presence.server.transport;

import dev.presence.protocol.v1.ConnectRequest;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Parses inbound gRPC messages with the {@link RequestDecoder} both bindings share, so that a frame never
 * fails the call: gRPC would end a call whose message does not parse with UNKNOWN and no presence.v1 reason.
 * A message longer than max_inbound_frame_bytes is not even read.
 */
final class RequestMarshaller implements MethodDescriptor.Marshaller<ConnectRequest> {
  private final RequestDecoder decoder;

  /** @param decoder decodes each message's bytes */
  RequestMarshaller(RequestDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public InputStream stream(ConnectRequest value) {
    return new ByteArrayInputStream(value.toByteArray());
  }

  @Override
  public ConnectRequest parse(InputStream stream) {
    try {
      // gRPC closes the stream after parse, which releases the bytes left unread.
      if (stream instanceof KnownLength && decoder.tooLarge(stream.available())) {
        return decoder.oversized(stream.available());
      }
      return decoder.decode(readMessage(stream));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
