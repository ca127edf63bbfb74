package dev.presence.server.transport;

import dev.presence.server.fanout.Frame;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes frames that are already serialized. Because the stream is {@link KnownLength} and
 * {@link Drainable}, gRPC copies the shared bytes straight into its buffers without re-encoding.
 */
final class FrameMarshaller implements MethodDescriptor.Marshaller<Frame> {
  static final FrameMarshaller INSTANCE = new FrameMarshaller();

  private FrameMarshaller() {}

  @Override
  public InputStream stream(Frame frame) {
    return new FrameStream(frame.bytes());
  }

  @Override
  public Frame parse(InputStream stream) {
    try {
      return new Frame(stream.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read frame", e);
    }
  }

  private static final class FrameStream extends ByteArrayInputStream implements KnownLength, Drainable {
    FrameStream(byte[] bytes) {
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
