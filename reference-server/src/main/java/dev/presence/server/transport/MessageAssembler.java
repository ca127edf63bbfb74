package dev.presence.server.transport;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.server.internal.UndecodableFrame;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Reassembles WebSocket data frames into messages (PRS-WS-4) and decodes each binary message with the
 * {@link RequestDecoder} the gRPC binding uses, so both bindings answer the same bytes the same way. A message
 * is answered as soon as its kind or size decides it: a text message at its first frame (PRS-WS-5), a binary
 * message past max_inbound_frame_bytes as FRAME_TOO_LARGE (PRS-WS-16), and its remaining frames are only
 * counted. Nothing past that limit is kept. Confined to the connection's event loop.
 */
final class MessageAssembler {
  /** A message to hand to the session, and the bytes it holds while it waits. */
  record Message(ConnectRequest frame, int bytes) {}

  /** The message grew past what is answered at all: the connection is cut with 1009 (PRS-WS-16). */
  static final Message CUT = new Message(UndecodableFrame.OVERSIZED, 0);

  private final RequestDecoder decoder;
  private final ByteBufAllocator alloc;
  private CompositeByteBuf parts;
  private boolean inMessage;
  private boolean text;
  private boolean answered;
  private long length;

  MessageAssembler(RequestDecoder decoder, ByteBufAllocator alloc) {
    this.decoder = decoder;
    this.alloc = alloc;
  }

  /**
   * @param frame a text, binary or continuation frame, in order; not released here
   * @return the message this frame completes or decides, {@link #CUT}, or null when there is none yet
   */
  Message accept(WebSocketFrame frame) {
    if (!(frame instanceof ContinuationWebSocketFrame)) {
      release();
      inMessage = true;
      text = frame instanceof TextWebSocketFrame;
      answered = false;
      length = 0;
    } else if (!inMessage) {
      return null;
    }
    length += frame.content().readableBytes();
    Message message = !text && length > decoder.answeredLimit() ? CUT : answered ? null : decide(frame);
    if (frame.isFinalFragment() || message == CUT) {
      release();
      inMessage = false;
    }
    return message;
  }

  private Message decide(WebSocketFrame frame) {
    if (text) {
      answered = true;
      return new Message(UndecodableFrame.TEXT_MESSAGE, 0);
    }
    if (decoder.tooLarge(length)) {
      answered = true;
      release();
      return new Message(decoder.oversized(length), 0);
    }
    if (frame.isFinalFragment() && parts == null) {
      return new Message(decoder.decode(ByteBufUtil.getBytes(frame.content())), (int) length);
    }
    if (parts == null) {
      parts = alloc.compositeBuffer();
    }
    parts.addComponent(true, frame.content().retain());
    if (!frame.isFinalFragment()) {
      return null;
    }
    return new Message(decoder.decode(ByteBufUtil.getBytes(parts)), (int) length);
  }

  /** Drops a message in progress; call when the connection ends. */
  void release() {
    if (parts != null) {
      parts.release();
      parts = null;
    }
  }
}
