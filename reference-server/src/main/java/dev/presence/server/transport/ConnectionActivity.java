package dev.presence.server.transport;

import dev.presence.server.session.SessionEnd;
import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness of each HTTP/2 connection, plaintext or TLS, to the precision PRS-LIV-1 demands.
 *
 * <p>grpc-java clamps server keepalive to at least 10 seconds, too coarse for a 10 second bound, and it
 * reports a keepalive failure to the application as a plain cancel, indistinguishable from a client
 * cancel. So each connection is probed here, on the {@link SilenceProbe} schedule: the probe is an HTTP/2
 * PING (with grpc-java's own keepalive payload, which its handler accepts silently), and a connection the
 * probe gives up on is closed and remembered as timed out.
 * A cancel on such a connection is TRANSPORT_LOSS (TIMED_OUT); any other cancel is the peer's doing
 * (LEFT), because a peer that cancels, closes or resets always sends something first.
 */
final class ConnectionActivity implements CancelClassifier {
  private static final Logger log = LoggerFactory.getLogger(ConnectionActivity.class);
  /** Keeps a closed connection's record long enough for its calls' cancel callbacks to find it. */
  private static final long FORGET_AFTER_CLOSE_SECONDS = 30;
  /** The payload grpc-java uses for its own keepalive pings; its handler ignores acks carrying it. */
  private static final long KEEPALIVE_PING_PAYLOAD = 0xDEADL;

  private final ConcurrentHashMap<SocketAddress, TrackedChannel> channels = new ConcurrentHashMap<>();
  private final SilenceProbe.Timing timing;

  /** @param leaveDetectionMillis the bound within which a silent peer must be declared gone */
  ConnectionActivity(long leaveDetectionMillis) {
    this.timing = SilenceProbe.Timing.forLeaveDetection(leaveDetectionMillis);
  }

  @Override
  public SessionEnd classify(ServerCall<?, ?> call) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    TrackedChannel channel = remote == null ? null : channels.get(remote);
    if (channel != null && channel.timedOut) {
      return SessionEnd.TRANSPORT_LOSS;
    }
    return SessionEnd.CANCEL;
  }

  /**
   * @param pacer the pace of accepts
   * @return a server channel whose accepted connections are tracked
   */
  NioServerSocketChannel newServerChannel(AcceptPacer pacer) {
    return new TrackingServerChannel(pacer, this);
  }

  private static final class TrackingServerChannel extends PacedServerChannel {
    private final ConnectionActivity activity;

    TrackingServerChannel(AcceptPacer pacer, ConnectionActivity activity) {
      super(pacer);
      this.activity = activity;
    }

    @Override
    protected Channel newChild(java.nio.channels.SocketChannel accepted) throws java.io.IOException {
      return new TrackedChannel(this, accepted, activity);
    }
  }

  private static final class TrackedChannel extends NioSocketChannel {
    private final ConnectionActivity activity;
    private final SocketAddress remote;
    private final SilenceProbe probe;
    private volatile boolean timedOut;
    private ScheduledFuture<?> checker;

    TrackedChannel(Channel parent, java.nio.channels.SocketChannel socket, ConnectionActivity activity)
        throws java.io.IOException {
      super(parent, socket);
      this.activity = activity;
      this.probe = new SilenceProbe(activity.timing, System.nanoTime());
      this.remote = socket.getRemoteAddress();
      if (remote != null) {
        activity.channels.put(remote, this);
      }
    }

    @Override
    protected int doReadBytes(ByteBuf byteBuf) throws Exception {
      probe.onRead(System.nanoTime());
      if (checker == null) {
        // The first read happens on the channel's event loop, after registration.
        long period = activity.timing.checkEveryMillis();
        checker = eventLoop().scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
      }
      return super.doReadBytes(byteBuf);
    }

    private void check() {
      if (!isActive()) {
        return;
      }
      switch (probe.check(System.nanoTime())) {
        case PROBE -> writePing();
        case GIVE_UP -> {
          timedOut = true;
          log.info("event=connection_timed_out remote_port={}", portOf(remote));
          // Beneath the pipeline: the HTTP/2 handler's close would wait politely for a peer that is gone.
          unsafe().close(unsafe().voidPromise());
        }
        default -> { }
      }
    }

    /**
     * Written through the connection's own HTTP/2 encoder, so it passes the TLS handler when there is
     * one and never splits another frame. Before the HTTP/2 handler is installed (a TLS handshake in
     * progress) there is no session to protect yet and no probe is sent; the silence still counts, and
     * the next check probes once the handler is there.
     */
    private void writePing() {
      ChannelHandlerContext ctx = pipeline().context(Http2ConnectionHandler.class);
      if (ctx == null) {
        probe.probeNotSent();
        return;
      }
      Http2ConnectionHandler http2 = (Http2ConnectionHandler) ctx.handler();
      http2.encoder().writePing(ctx, false, KEEPALIVE_PING_PAYLOAD, ctx.newPromise());
      ctx.flush();
    }

    @Override
    protected void doClose() throws Exception {
      super.doClose();
      if (checker != null) {
        checker.cancel(false);
      }
      if (remote != null) {
        eventLoop().schedule(() -> activity.channels.remove(remote, this), FORGET_AFTER_CLOSE_SECONDS,
            TimeUnit.SECONDS);
      }
    }

    private static int portOf(SocketAddress address) {
      return address instanceof java.net.InetSocketAddress inet ? inet.getPort() : -1;
    }
  }
}
