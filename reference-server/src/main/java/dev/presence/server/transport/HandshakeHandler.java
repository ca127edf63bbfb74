package dev.presence.server.transport;

import dev.presence.server.auth.Credentials;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to the WebSocket port until its opening handshake completes: answers health checks and, with
 * {@code --demo}, the web demo's files ({@link DemoFiles}), refuses handshakes that {@link HandshakeChecks}
 * refuses, upgrades the rest to a {@link WebSocketCall} selecting exactly {@code presence.v1} with no extension
 * (PRS-WS-3, PRS-WS-9), and closes a connection that has not completed a handshake in time (PRS-WS-17). One
 * request per connection: every answer but the upgrade closes it.
 */
final class HandshakeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

  private final WebSocketTransport.Settings settings;
  private ScheduledFuture<?> deadline;

  HandshakeHandler(WebSocketTransport.Settings settings) {
    this.settings = settings;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(() -> {
      log.info("event=ws_handshake_timeout timeout_millis={}", settings.handshakeTimeoutMillis());
      ctx.channel().close();
    }, settings.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (!request.decoderResult().isSuccess()) {
      refuse(ctx, new HttpAnswer(HttpResponseStatus.BAD_REQUEST, "the request is not valid HTTP/1.1"), head);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    HttpAnswer health = settings.health().answer(path, request.method());
    if (health != null) {
      health.send(ctx, head);
      return;
    }
    if (settings.demo().serves(path) && !request.headers().contains(HttpHeaderNames.UPGRADE)) {
      settings.demo().send(ctx, path, request.method(), request.headers());
      return;
    }
    HttpAnswer refusal = HandshakeChecks.refusal(request, path, settings.origins());
    if (refusal != null) {
      refuse(ctx, refusal, head);
      return;
    }
    upgrade(ctx, request);
  }

  private static void refuse(ChannelHandlerContext ctx, HttpAnswer refusal, boolean head) {
    log.info("event=ws_handshake_refused status={}", refusal.status().code());
    refusal.send(ctx, head);
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
    Credentials credentials = HandshakeChecks.credentials(request.headers());
    // The handshaker sees presence.v1 alone: it selects exactly that, and no token reaches code that might log it.
    request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, HandshakeChecks.SUBPROTOCOL);
    ctx.channel().config().setAutoRead(false);
    settings.sessions().add(ctx.channel());
    WebSocketCall call = new WebSocketCall(ctx.channel(), credentials, settings.services(), settings.liveness());
    ctx.pipeline().replace(this, "ws-call", call);
    ChannelFuture upgraded = new WebSocketServerHandshaker13(HandshakeChecks.PATH, HandshakeChecks.SUBPROTOCOL,
        settings.decoderConfig()).handshake(ctx.channel(), request);
    upgraded.addListener(done -> {
      if (done.isSuccess()) {
        call.start();
      } else {
        ctx.channel().close();
      }
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("event=ws_handshake_error cause={}", cause.getClass().getSimpleName());
    ctx.close();
  }
}
