package dev.presence.bench.relay;

import dev.presence.bench.internal.BenchLogging;
import dev.presence.bench.wire.RawBytes;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The ceiling the presence server is compared against: a gRPC relay with no presence logic at all. Each
 * call joins the room named by its first message (UTF-8) and is answered with
 * {@code ConnectResponse{opened: {}}}; every later message is an opaque, pre-serialized
 * {@code PresenceEvent} that is never parsed. Events leave as {@code ConnectResponse{presence:
 * PresenceBatch{events}}} frames built by prefixing tags and lengths, to every member of the room, the
 * sender included, either one frame per event ({@link RelayMode#PER_MESSAGE}) or one frame per tick with
 * the latest event of each sender ({@link RelayMode#COALESCED}).
 *
 * <p>It uses the same transport set-up as the presence server (Netty, one boss thread, the default worker
 * count, handlers on the event loop), and no flow control: a reader that stalls makes the relay buffer
 * without bound. Its loops keep Netty's own waits, which the server's loops round up to a whole millisecond so
 * they stop polling ahead of a timer: with a single tick per loop the relay's loops were not seen to do that
 * (no empty immediate select in two seconds at 200 sessions sending 20 updates a second).
 *
 * <pre>{@code
 * try (CeilingRelay relay = CeilingRelay.start(0, RelayMode.COALESCED, 50)) {
 *   int port = relay.port();
 * }
 * }</pre>
 */
public final class CeilingRelay implements AutoCloseable {
  /** The relay's only method, {@code presence.bench.v1.Relay/Connect}, carrying raw bytes both ways. */
  public static final MethodDescriptor<byte[], byte[]> CONNECT =
      RawBytes.bidiStreaming("presence.bench.v1.Relay/Connect");
  /** The coalescing period unless told otherwise: the presence server's default throttle window. */
  public static final int DEFAULT_TICK_MILLIS = 50;


  private final Server server;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;

  private CeilingRelay(Server server, EventLoopGroup boss, EventLoopGroup workers) {
    this.server = server;
    this.boss = boss;
    this.workers = workers;
  }

  /**
   * Binds every interface and starts relaying.
   *
   * @param port the TCP port; 0 picks a free one
   * @param mode how events are forwarded
   * @param tickMillis the coalescing period; ignored in per-message mode
   * @return the running relay
   * @throws IOException when the port cannot be bound
   */
  public static CeilingRelay start(int port, RelayMode mode, int tickMillis) throws IOException {
    if (tickMillis <= 0) {
      throw new IllegalArgumentException("tickMillis must be positive, was " + tickMillis);
    }
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    RelayRooms rooms = new RelayRooms(mode, tickMillis, workers);
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(port))
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        // The default channel type may be epoll, which cannot run on NIO event loops.
        .channelType(NioServerSocketChannel.class)
        .directExecutor()
        .addService(ServerServiceDefinition.builder("presence.bench.v1.Relay").addMethod(CONNECT, rooms).build())
        .build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    return new CeilingRelay(server, boss, workers);
  }

  /** @return the bound port */
  public int port() {
    return server.getPort();
  }

  /** @throws InterruptedException if interrupted before the relay stopped */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Cuts every call and releases the port and threads; idempotent. */
  @Override
  public void close() {
    // A ceiling owes its clients no graceful goodbye, and waiting for them could take forever.
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /**
   * Runs the relay until SIGTERM, printing one line containing {@code listening on port <P>} once ready.
   *
   * @param args {@code --port P --mode per-message|coalesced [--tick-millis T]}
   */
  public static void main(String[] args) {
    BenchLogging.configure();
    int code = new CommandLine(new Command())
        .registerConverter(RelayMode.class, RelayMode::ofLabel)
        .execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The command line; see {@link #main}. */
  @CommandLine.Command(name = "ceiling-relay", mixinStandardHelpOptions = true,
      description = "A gRPC relay with no presence logic: the benchmark ceiling.")
  static final class Command implements Callable<Integer> {
    @CommandLine.Option(names = "--port", required = true, description = "TCP port; 0 picks a free one")
    int port;

    @CommandLine.Option(names = "--mode", required = true, description = "per-message or coalesced")
    RelayMode mode;

    @CommandLine.Option(names = "--tick-millis", defaultValue = "" + DEFAULT_TICK_MILLIS,
        description = "coalescing period in milliseconds (default: ${DEFAULT-VALUE})")
    int tickMillis;

    @Override
    public Integer call() throws Exception {
      CeilingRelay relay = start(port, mode, tickMillis);
      Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "ceiling-relay-shutdown"));
      String tick = mode == RelayMode.COALESCED ? ", tick " + tickMillis + " ms" : "";
      System.out.println("ceiling relay (" + mode.label() + tick + ") listening on port " + relay.port());
      System.out.flush();
      relay.awaitTermination();
      return 0;
    }
  }
}
