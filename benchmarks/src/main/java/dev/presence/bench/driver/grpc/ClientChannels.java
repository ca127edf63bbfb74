package dev.presence.bench.driver.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The channels of one driver. Every channel shares one small event loop group, so thousands of sessions
 * cost thousands of sockets but not thousands of threads.
 */
final class ClientChannels implements AutoCloseable {
  private final InetSocketAddress address;
  private final int sessionsPerChannel;
  private final int flowControlWindowBytes;
  private final EventLoopGroup group;
  private final Set<ManagedChannel> open = ConcurrentHashMap.newKeySet();
  private ManagedChannel shared;
  private int sharedUses;

  /**
   * @param host the server's host, resolved once here rather than by every channel
   * @param port the server's port
   * @param options threads and sharing
   */
  ClientChannels(String host, int port, GrpcDriverOptions options) {
    address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve host " + host);
    }
    sessionsPerChannel = options.sessionsPerChannel();
    flowControlWindowBytes = options.flowControlWindowBytes();
    // Daemon threads: a load generator that forgets to close a driver still exits.
    group = new MultiThreadIoEventLoopGroup(options.ioThreads(),
        new DefaultThreadFactory("bench-grpc-client", true), NioIoHandler.newFactory());
  }

  /** A channel lent to one session. */
  final class Lease {
    private final ManagedChannel channel;
    private final boolean owned;

    private Lease(ManagedChannel channel, boolean owned) {
      this.channel = channel;
      this.owned = owned;
    }

    /** @return the channel */
    ManagedChannel channel() {
      return channel;
    }

    /**
     * Ends the channel if the session owned it; a shared one lives until the driver closes. A session that ends
     * while the driver closes leaves its channel to {@link #close()}, whose event loops may already refuse tasks.
     */
    void release() {
      if (owned && open.remove(channel) && !group.isShuttingDown()) {
        channel.shutdownNow();
      }
    }
  }

  /** @return a channel for one more session */
  Lease lease() {
    if (sessionsPerChannel == 1) {
      return new Lease(newChannel(), true);
    }
    synchronized (this) {
      if (shared == null || sharedUses == sessionsPerChannel) {
        shared = newChannel();
        sharedUses = 0;
      }
      sharedUses++;
      return new Lease(shared, false);
    }
  }

  private ManagedChannel newChannel() {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address)
        .eventLoopGroup(group)
        .channelType(NioSocketChannel.class)
        // Callbacks only decode and hand states to the receiver: running them on the event loop saves a
        // thread hop per frame.
        .directExecutor()
        .usePlaintext()
        // Transparent retry would buffer every outbound message until the server's headers arrive, a layer
        // on each send for sessions that are never retried.
        .disableRetry();
    if (flowControlWindowBytes > 0) {
      builder.flowControlWindow(flowControlWindowBytes);
    }
    ManagedChannel channel = builder.build();
    open.add(channel);
    return channel;
  }

  @Override
  public void close() {
    for (ManagedChannel c : open) {
      c.shutdownNow();
    }
    for (ManagedChannel c : open) {
      try {
        c.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    open.clear();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
