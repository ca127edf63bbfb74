package dev.presence.server.transport;

import com.google.protobuf.CodedInputStream;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.server.internal.UndecodableFrame;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the bytes of one inbound frame into a {@link ConnectRequest} without ever failing, the same way on
 * both bindings. A frame longer than max_inbound_frame_bytes is not parsed and becomes
 * {@link UndecodableFrame#OVERSIZED} (PRS-TRN-6). A frame the generated parser refuses is decoded again
 * leniently (PRS-IDN-7), and becomes {@link UndecodableFrame#MALFORMED} only if that fails too (PRS-TRN-9).
 * Nothing of a refused frame is logged but its length.
 */
final class RequestDecoder {
  /**
   * Frames up to this multiple of max_inbound_frame_bytes are read and answered with FRAME_TOO_LARGE; a
   * binding may cut the connection instead only for longer ones (PRS-TRN-6, PRS-WS-16).
   */
  static final int OVERSIZE_ANSWERED_FACTOR = 16;
  private static final Logger log = LoggerFactory.getLogger(RequestDecoder.class);

  private final int maxInboundFrameBytes;
  private final int recursionLimit;
  private final LenientFrameDecoder lenient;

  /**
   * @param maxInboundFrameBytes longer frames are not parsed
   * @param maxStateDepth every state this deep stays on the fast path
   */
  RequestDecoder(int maxInboundFrameBytes, int maxStateDepth) {
    this.maxInboundFrameBytes = maxInboundFrameBytes;
    // A state level costs protobuf at most three nested messages (Struct, map entry, Value) under
    // ConnectRequest and UpdateState. Deeper frames go to the lenient decoder, which bounds its own depth.
    this.recursionLimit = 3 * maxStateDepth + 4;
    this.lenient = new LenientFrameDecoder(maxStateDepth);
  }

  /** @return the longest frame that is read to be answered; a binding may cut off longer ones */
  int answeredLimit() {
    return (int) Math.min(Integer.MAX_VALUE, (long) maxInboundFrameBytes * OVERSIZE_ANSWERED_FACTOR);
  }

  /** @param length a frame's length @return whether it is too long to be parsed */
  boolean tooLarge(long length) {
    return length > maxInboundFrameBytes;
  }

  /** @param length the length of a frame that is not read @return the stand-in for it */
  ConnectRequest oversized(long length) {
    log.debug("event=frame_refused reason=FRAME_TOO_LARGE bytes={}", length);
    return UndecodableFrame.OVERSIZED;
  }

  /** @param bytes one whole frame @return the frame, or a stand-in for one that cannot be used */
  ConnectRequest decode(byte[] bytes) {
    if (tooLarge(bytes.length)) {
      return oversized(bytes.length);
    }
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
}
