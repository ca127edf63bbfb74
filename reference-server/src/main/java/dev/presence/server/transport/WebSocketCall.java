package dev.presence.server.transport;

import dev.presence.protocol.WebSocketBinding;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.server.auth.Credentials;
import dev.presence.server.fanout.Frame;
import dev.presence.server.session.CallHandle;
import dev.presence.server.session.CallStatus;
import dev.presence.server.session.SessionEnd;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session on the WebSocket binding (§2.2), after the opening handshake: reports the connection's messages
 * to its {@link SessionCall} and carries the session's frames and its end.
 *
 * <ul>
 *   <li>Inbound flow control is manual, as on gRPC: the socket is read only while the session wants a frame
 *       (auto-read is off), and messages decoded beyond the one wanted wait in order.
 *   <li>The call accepts writes while the connection's write buffer is below its high-water mark
 *       (PRS-WS-15); the session hears when it drains.
 *   <li>Liveness follows {@link SilenceProbe} with WebSocket Pings (PRS-WS-13). While it probes, the socket is
 *       read even if the session wants nothing, so that an answer can arrive, up to the same bound as one
 *       message in reassembly; a peer that fills that much and reads nothing is given up on.
 *   <li>The session ends with {@code session_end} and a Close frame (PRS-WS-10); a Close from the client with
 *       1000 is a half-close and anything else a cancel (PRS-WS-12).
 * </ul>
 *
 * <p>The {@link CallHandle} methods may be called from the room's thread; everything else runs on the
 * connection's event loop.
 */
final class WebSocketCall extends ChannelInboundHandlerAdapter implements CallHandle {
  private static final Logger log = LoggerFactory.getLogger(WebSocketCall.class);
  /** After its Close frame, how long the server waits for the client's before it closes the connection. */
  static final long CLOSE_GRACE_MILLIS = 2000;
  private static final int NORMAL_CLOSURE = WebSocketCloseStatus.NORMAL_CLOSURE.code();

  private final Channel channel;
  private final SessionCall session;
  private final RequestDecoder decoder;
  private final SilenceProbe probe;
  private final long checkEveryMillis;
  private final MessageAssembler assembler;
  private final ArrayDeque<MessageAssembler.Message> inbound = new ArrayDeque<>();
  private long queuedBytes;
  private int demand;
  private boolean halfClosePending;
  private boolean peerClosed;
  private volatile boolean closing;
  private boolean timedOut;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> checker;

  /**
   * @param channel the upgraded connection
   * @param credentials from the handshake, judged at {@code open}
   * @param services shared with the other binding
   * @param timing the liveness schedule
   */
  WebSocketCall(Channel channel, Credentials credentials, SessionServices services, SilenceProbe.Timing timing) {
    this.channel = channel;
    this.decoder = services.decoder;
    this.probe = new SilenceProbe(timing, System.nanoTime());
    this.checkEveryMillis = timing.checkEveryMillis();
    this.assembler = new MessageAssembler(services.decoder, channel.alloc());
    this.session = new SessionCall(this, credentials, services);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    ctx = context;
  }

  /** Starts the session once the handshake response is written. */
  void start() {
    probe.onRead(System.nanoTime());
    channel.pipeline().addFirst("ws-activity", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext c, Object msg) {
        probe.onRead(System.nanoTime());
        c.fireChannelRead(msg);
      }
    });
    checker = channel.eventLoop().scheduleAtFixedRate(this::checkLiveness, checkEveryMillis, checkEveryMillis,
        TimeUnit.MILLISECONDS);
    session.start();
  }

  // ---- inbound, on the event loop ----------------------------------------------------------------------

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    try {
      if (msg instanceof WebSocketFrame frame) {
        onWebSocketFrame(frame);
      } else {
        // Only a client that ignored the handshake's answer sends more HTTP after it.
        log.debug("event=ws_unexpected_message type={}", msg.getClass().getSimpleName());
        channel.close();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onWebSocketFrame(WebSocketFrame frame) {
    if (closing) {
      if (frame instanceof CloseWebSocketFrame) {
        channel.close();
      }
      return;
    }
    if (peerClosed) {
      return;
    }
    if (frame instanceof PingWebSocketFrame) {
      channel.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), channel.voidPromise());
    } else if (frame instanceof CloseWebSocketFrame close) {
      onPeerClose(close.statusCode());
    } else if (!(frame instanceof PongWebSocketFrame)) {
      MessageAssembler.Message message = assembler.accept(frame);
      if (message == MessageAssembler.CUT) {
        cut();
      } else if (message != null) {
        inbound.add(message);
        queuedBytes += message.bytes();
        deliver();
      }
    }
  }

  /** PRS-WS-12: 1000 ends the session as a half-close, after the frames before it; anything else cancels it. */
  private void onPeerClose(int code) {
    peerClosed = true;
    assembler.release();
    if (code == NORMAL_CLOSURE) {
      halfClosePending = true;
      deliver();
      return;
    }
    closing = true;
    CloseWebSocketFrame answer = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
    channel.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
  }

  /** PRS-WS-16: a message past 16 times max_inbound_frame_bytes is cut off with 1009 and no session_end. */
  private void cut() {
    closing = true;
    channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void deliver() {
    while (demand > 0 && !inbound.isEmpty() && !closing) {
      demand--;
      MessageAssembler.Message message = inbound.poll();
      queuedBytes -= message.bytes();
      session.onFrame(message.frame());
    }
    if (halfClosePending && inbound.isEmpty() && !closing) {
      halfClosePending = false;
      session.onHalfClose();
    }
    readIfWanted();
  }

  /**
   * Reads when the session wants a frame and none waits, unless the connection's writes are backed up (Pongs
   * could pile up), or when a liveness probe waits for its answer.
   */
  private void readIfWanted() {
    if (closing || peerClosed || !channel.isActive()) {
      return;
    }
    boolean wanted = demand > 0 && inbound.isEmpty() && channel.isWritable();
    boolean probing = probe.probeOutstanding() && queuedBytes < decoder.answeredLimit();
    if (wanted || probing) {
      ctx.read();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext context) {
    readIfWanted();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    if (channel.isWritable()) {
      session.onReady();
      readIfWanted();
    }
    context.fireChannelWritabilityChanged();
  }

  private void checkLiveness() {
    if (closing || !channel.isActive()) {
      return;
    }
    switch (probe.check(System.nanoTime())) {
      case PROBE -> {
        channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        readIfWanted();
      }
      case GIVE_UP -> {
        timedOut = true;
        log.info("event=connection_timed_out binding=websocket");
        // Beneath the pipeline: a TLS close would wait to flush its alert to a peer that is gone.
        channel.unsafe().close(channel.unsafe().voidPromise());
      }
      default -> { }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    if (checker != null) {
      checker.cancel(false);
    }
    assembler.release();
    inbound.clear();
    session.onCancel(timedOut ? SessionEnd.TRANSPORT_LOSS : SessionEnd.CANCEL);
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    log.debug("event=ws_connection_error cause={}", cause.getClass().getSimpleName());
    channel.close();
  }

  // ---- CallHandle, from the room's thread ------------------------------------------------------------

  @Override
  public void send(Frame frame) {
    if (!closing) {
      channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame.bytes())), channel.voidPromise());
    }
  }

  @Override
  public boolean isReady() {
    return channel.isWritable() && !closing;
  }

  @Override
  public void requestNext() {
    onEventLoop(() -> {
      demand++;
      deliver();
    });
  }

  @Override
  public void close(CallStatus status) {
    onEventLoop(() -> end(status));
  }

  private void onEventLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      channel.eventLoop().execute(task);
    }
  }

  /**
   * PRS-WS-10: {@code session_end}, then a Close frame with 1000 or 4000 + the code and the reason; the
   * connection closes when the client answers, or after a grace period. A client that closed first gets only
   * the answer to its Close (PRS-WS-12).
   */
  private void end(CallStatus status) {
    if (closing || !channel.isActive()) {
      return;
    }
    closing = true;
    if (peerClosed) {
      channel.writeAndFlush(new CloseWebSocketFrame(NORMAL_CLOSURE, "")).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(sessionEnd(status).toByteArray())),
        channel.voidPromise());
    int code = WebSocketBinding.closeCode(io.grpc.Status.fromCodeValue(status.code().getNumber()).getCode());
    channel.writeAndFlush(new CloseWebSocketFrame(code, status.reason())).addListener(written -> {
      // Reading on lets the client's Close arrive; whatever else it still sends is dropped.
      channel.config().setAutoRead(true);
      channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    });
  }

  private static ConnectResponse sessionEnd(CallStatus status) {
    return ConnectResponse.newBuilder()
        .setSessionEnd(dev.presence.protocol.v1.SessionEnd.newBuilder()
            .setCode(status.code().getNumber())
            .setMessage(status.message())
            .setReason(status.reason())
            .putAllMetadata(status.metadata()))
        .build();
  }
}
