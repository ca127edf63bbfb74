package dev.presence.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A plain-text HTTP answer on the WebSocket port that ends the connection: a refused handshake (PRS-WS-2,
 * PRS-WS-3, PRS-WS-8) or a health check. The body says what was wrong; it never repeats request headers.
 *
 * @param status the HTTP status
 * @param body one line for humans
 * @param headers extra response headers
 */
record HttpAnswer(HttpResponseStatus status, String body, Map<String, String> headers) {
  HttpAnswer(HttpResponseStatus status, String body) {
    this(status, body, Map.of());
  }

  /**
   * Writes the answer and closes the connection once it is written.
   *
   * @param ctx the connection
   * @param head whether the request was HEAD, which gets the headers alone
   */
  void send(ChannelHandlerContext ctx, boolean head) {
    byte[] text = (body + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(text);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    headers.forEach(response.headers()::set);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
