package dev.presence.server.transport;

import dev.presence.server.config.AllowedOrigins;
import dev.presence.server.config.ServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket binding's server (§2.2): HTTP/1.1 on its own port, plaintext or TLS with the gRPC port's
 * certificate, on the same event loops as gRPC, so both bindings' sessions run on the threads that run their
 * rooms. What a connection that does not read can make the server hold is bounded (PRS-WS-15): its write buffer
 * stops accepting writes at twice max_outbound_frame_bytes, and the socket's send buffer is fixed at
 * max_outbound_frame_bytes instead of growing with the kernel's autotuning to several megabytes.
 */
final class WebSocketTransport {
  /** A handshake has no body; this much is tolerated, and more is refused before it is buffered. */
  private static final int MAX_HANDSHAKE_BODY_BYTES = 4096;
  private static final int MAX_REQUEST_LINE_BYTES = 4096;
  private static final int MAX_HEADER_BYTES = 16384;

  /**
   * What every connection's handlers share.
   *
   * @param services shared with the gRPC binding
   * @param origins the origins allowed to open sessions
   * @param health the health endpoints
   * @param demo the web demo's files, none without {@code --demo}
   * @param decoderConfig the WebSocket frame decoder's limits
   * @param liveness the schedule of liveness probes
   * @param handshakeTimeoutMillis PRS-WS-17
   * @param sessions connections that completed a handshake
   */
  record Settings(SessionServices services, AllowedOrigins origins,
      HealthEndpoints health, DemoFiles demo, WebSocketDecoderConfig decoderConfig, SilenceProbe.Timing liveness,
      int handshakeTimeoutMillis, ChannelGroup sessions) {}

  private final ServerConfig config;
  private final EventLoopGroup boss;
  private final ServerBootstrap bootstrap;
  private final ChannelGroup connections = new DefaultChannelGroup("presence-ws", GlobalEventExecutor.INSTANCE);
  private final ChannelGroup sessions = new DefaultChannelGroup("presence-ws-sessions", GlobalEventExecutor.INSTANCE);
  private Channel server;

  /**
   * @param services shared with the gRPC binding
   * @param health the health endpoints
   * @param demo the web demo's files, none without {@code --demo}
   * @param eventLoops the I/O threads, owned by the caller, who closes them after this transport ends
   * @throws dev.presence.server.config.ConfigException when the TLS files cannot be used
   */
  WebSocketTransport(SessionServices services, HealthEndpoints health, DemoFiles demo, EventLoops eventLoops) {
    this.config = services.config;
    WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
        // A single frame longer than this is cut with 1009 as soon as its header is read (PRS-WS-16).
        .maxFramePayloadLength(services.decoder.answeredLimit())
        .expectMaskedFrames(true)
        .allowMaskMismatch(false)
        .allowExtensions(false)
        .closeOnProtocolViolation(true)
        .withUTF8Validator(false)
        .build();
    Settings settings = new Settings(services, config.wsAllowedOrigins(), health, demo, decoderConfig,
        SilenceProbe.Timing.forLeaveDetection(config.leaveDetectionMillis()), config.wsHandshakeTimeoutMillis(),
        sessions);
    SslContext tls = config.tlsEnabled() ? ServerTls.webSocketContext(config) : null;
    HttpDecoderConfig http = new HttpDecoderConfig()
        .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
        .setMaxHeaderSize(MAX_HEADER_BYTES);
    int frameBound = config.maxOutboundFrameBytes();
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    bootstrap = new ServerBootstrap()
        .group(boss, eventLoops.group())
        .channelFactory(pacedChannels(services.acceptPacer))
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(frameBound, 2 * frameBound))
        .childOption(ChannelOption.SO_SNDBUF, frameBound)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            if (tls != null) {
              ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
            }
            ch.pipeline()
                .addLast("http", new HttpServerCodec(http))
                .addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_BODY_BYTES))
                .addLast("handshake", new HandshakeHandler(settings));
          }
        });
  }

  /** @throws IOException when the port cannot be bound */
  void start() throws IOException {
    int port = config.wsPort() == ServerConfig.ANY_FREE_PORT ? 0 : config.wsPort();
    InetSocketAddress address = config.host().isEmpty()
        ? new InetSocketAddress(port)
        : new InetSocketAddress(config.host(), port);
    io.netty.channel.ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw bound.cause() instanceof IOException io ? io : new IOException(bound.cause());
    }
    server = bound.channel();
  }

  /** @return the bound port */
  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** @return the bound address */
  InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /**
   * Waits for the sessions' connections to close, then stops listening and closes whatever is left. Until then
   * the port still answers: {@code /readyz} with 503, and a new handshake with an upgrade whose session is refused
   * with SHUTTING_DOWN (PRS-END-5), which tells a client to go elsewhere at once.
   *
   * @param timeoutMillis the longest wait for the sessions' connections to close
   * @return whether they all closed in time; if not, they are cut
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitTermination(long timeoutMillis) throws InterruptedException {
    boolean clean = sessions.newCloseFuture().await(timeoutMillis, TimeUnit.MILLISECONDS);
    if (server != null) {
      server.close().await(1, TimeUnit.SECONDS);
    }
    connections.close().await(1, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return clean;
  }

  private static ChannelFactory<ServerChannel> pacedChannels(AcceptPacer pacer) {
    return () -> new PacedServerChannel(pacer);
  }
}
