package dev.presence.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.support.Frames;
import dev.presence.server.support.ServerFixture;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PRS-LIV-8: a client may send HTTP/2 PING frames every 1000 ms, with or without calls, and is never sent
 * GOAWAY for it. grpc-java clients cannot ping that often (they raise keepalive time to 10 s), so this
 * client speaks HTTP/2 frames directly.
 */
class KeepalivePingIT {
  private static final long PING_INTERVAL_MILLIS = 1000;
  private static final int PINGS_PER_PHASE = 4;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger pingAcks = new AtomicInteger();
  private final AtomicInteger grpcMessages = new AtomicInteger();
  private ServerFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @ParameterizedTest(name = "leave_detection_millis={0}")
  @ValueSource(ints = {500, 10_000})
  @DisplayName("PRS-LIV-8: HTTP/2 pings every 1000 ms, without and then with a call, never get GOAWAY")
  void pingsEverySecond(int leaveDetectionMillis) throws Exception {
    fx = ServerFixture.start(b -> b.leaveDetectionMillis(leaveDetectionMillis).pingIntervalMillis(0));
    FrameListener listener = new FrameListener();
    Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), listener);
          }
        })
        .connect("127.0.0.1", fx.port()).sync().channel();

    pingEverySecond(channel, 0);
    assertThat(received).as("GOAWAY or RST_STREAM without calls").isEmpty();

    Http2FrameStream stream = listener.newStream();
    DefaultHttp2Headers headers = new DefaultHttp2Headers();
    headers.method("POST").scheme("http").authority("127.0.0.1:" + fx.port())
        .path("/presence.v1.PresenceService/Connect");
    headers.add("content-type", "application/grpc").add("te", "trailers");
    channel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false).stream(stream)).sync();
    byte[] open = Frames.open("r", "alice").toByteArray();
    ByteBuffer message = ByteBuffer.allocate(5 + open.length).put((byte) 0).putInt(open.length).put(open).flip();
    channel.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(message), false).stream(stream)).sync();
    pingEverySecond(channel, PINGS_PER_PHASE);
    assertThat(grpcMessages.get()).as("the session opened").isPositive();
    assertThat(received).as("GOAWAY or RST_STREAM with a call").isEmpty();
    assertThat(channel.isActive()).isTrue();
    assertThat(fx.server().sessionCount()).isEqualTo(1);
    channel.close().sync();
  }

  /** Records GOAWAY, RST_STREAM and ping acks; grants flow control back for whatever the server sends. */
  private final class FrameListener extends Http2ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2PingFrame ping && ping.ack()) {
          pingAcks.incrementAndGet();
        } else if (msg instanceof Http2DataFrame data) {
          grpcMessages.incrementAndGet();
          ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(data.initialFlowControlledBytes()).stream(data.stream()));
        } else if (msg instanceof Http2GoAwayFrame || msg instanceof Http2ResetFrame) {
          received.add(msg.toString());
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  /** Sends pings 1000 ms apart (measured from the previous send, so never closer) and waits for their acks. */
  private void pingEverySecond(Channel channel, int alreadyAcked) throws Exception {
    for (int i = 0; i < PINGS_PER_PHASE; i++) {
      channel.writeAndFlush(new DefaultHttp2PingFrame(i)).sync();
      Thread.sleep(PING_INTERVAL_MILLIS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pingAcks.get() < alreadyAcked + PINGS_PER_PHASE && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pingAcks.get()).as("pings acknowledged").isEqualTo(alreadyAcked + PINGS_PER_PHASE);
  }
}
