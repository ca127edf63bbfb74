package dev.presence.bench.wire;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * gRPC methods whose messages are already-serialized bytes, so neither end pays for a protobuf message
 * object it does not need: the relay never parses events, and the drivers decode only the fields they
 * measure.
 */
public final class RawBytes {
  private static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new Marshaller();

  private RawBytes() {}

  /**
   * @param fullMethodName e.g. {@code presence.v1.PresenceService/Connect}
   * @return a bidirectional streaming method carrying {@code byte[]} both ways
   */
  public static MethodDescriptor<byte[], byte[]> bidiStreaming(String fullMethodName) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(fullMethodName)
        .setRequestMarshaller(MARSHALLER)
        .setResponseMarshaller(MARSHALLER)
        .build();
  }

  private static final class Marshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new Source(value);
    }

    /**
     * gRPC hands over a {@link KnownLength} stream, so the message is copied once into an array of its
     * exact size. {@link InputStream#readAllBytes()} would allocate an 8 KiB scratch buffer per message and
     * copy twice: it was the receive path's biggest cost in a 2,500-session profile.
     */
    @Override
    public byte[] parse(InputStream stream) {
      try {
        if (stream instanceof KnownLength) {
          byte[] message = new byte[stream.available()];
          int read = stream.readNBytes(message, 0, message.length);
          if (read == message.length && stream.read() == -1) {
            return message;
          }
          throw new IOException("message length changed while reading");
        }
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * {@link KnownLength} and {@link Drainable} let gRPC size the frame up front and copy the array straight
   * into its buffer, so one array shared by many calls is never copied into an intermediate stream.
   */
  private static final class Source extends ByteArrayInputStream implements KnownLength, Drainable {
    Source(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
