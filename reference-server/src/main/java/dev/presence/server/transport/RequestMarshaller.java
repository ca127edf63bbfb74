package dev.presence.server.transport;

import com.google.protobuf.CodedInputStream;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.server.internal.UndecodableFrame;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses inbound frames without ever failing the call: gRPC would end a call whose message does not parse
 * with UNKNOWN and no presence.v1 reason. A frame longer than max_inbound_frame_bytes is not read at all and
 * becomes {@link UndecodableFrame#OVERSIZED} (PRS-TRN-6). A frame the generated parser refuses is decoded
 * again leniently (PRS-IDN-7), and becomes {@link UndecodableFrame#MALFORMED} only if that fails too
 * (PRS-TRN-9). Nothing of a refused frame is logged but its length.
 */
final class RequestMarshaller implements MethodDescriptor.Marshaller<ConnectRequest> {
  private static final Logger log = LoggerFactory.getLogger(RequestMarshaller.class);

  private final int maxInboundFrameBytes;
  private final int recursionLimit;
  private final LenientFrameDecoder lenient;

  /**
   * @param maxInboundFrameBytes longer frames are not parsed
   * @param maxStateDepth every state this deep stays on the fast path
   */
  RequestMarshaller(int maxInboundFrameBytes, int maxStateDepth) {
    this.maxInboundFrameBytes = maxInboundFrameBytes;
    // A state level costs protobuf at most three nested messages (Struct, map entry, Value) under
    // ConnectRequest and UpdateState. Deeper frames go to the lenient decoder, which bounds its own depth.
    this.recursionLimit = 3 * maxStateDepth + 4;
    this.lenient = new LenientFrameDecoder(maxStateDepth);
  }

  @Override
  public InputStream stream(ConnectRequest value) {
    return new ByteArrayInputStream(value.toByteArray());
  }

  @Override
  public ConnectRequest parse(InputStream stream) {
    try {
      // gRPC closes the stream after parse, which releases the bytes left unread.
      if (stream instanceof KnownLength && stream.available() > maxInboundFrameBytes) {
        return oversized(stream.available());
      }
      byte[] bytes = readMessage(stream);
      return bytes.length > maxInboundFrameBytes ? oversized(bytes.length) : decode(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ConnectRequest oversized(int length) {
    log.debug("event=frame_refused reason=FRAME_TOO_LARGE bytes={}", length);
    return UndecodableFrame.OVERSIZED;
  }

  private ConnectRequest decode(byte[] bytes) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(recursionLimit);
      ConnectRequest frame = ConnectRequest.parseFrom(in);
      in.checkLastTagWas(0);
      return frame;
    } catch (IOException refused) {
      try {
        return lenient.decode(bytes);
      } catch (IOException malformed) {
        log.debug("event=frame_refused reason=MALFORMED_FRAME bytes={}", bytes.length);
        return UndecodableFrame.MALFORMED;
      }
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
