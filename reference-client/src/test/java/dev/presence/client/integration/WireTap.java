package dev.presence.client.integration;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server on loopback that forwards every Connect call to the real server, frame by frame in both
 * directions, and records each client frame with the time it arrived: the wire as a server sees it, while the
 * real server still does all the protocol work.
 */
final class WireTap implements AutoCloseable {
  /**
   * One client frame.
   *
   * @param arrivedNanos {@link System#nanoTime()} when the tap received it
   * @param frame the frame
   */
  record Seen(long arrivedNanos, ConnectRequest frame) {}

  final List<Seen> frames = new CopyOnWriteArrayList<>();
  private final ManagedChannel upstream;
  private Server server;
  private int port;

  WireTap(int upstreamPort) throws IOException {
    upstream = Grpc.newChannelBuilderForAddress("127.0.0.1", upstreamPort, InsecureChannelCredentials.create())
        .build();
    server = listen(0);
    port = server.getPort();
  }

  private Server listen(int listenPort) throws IOException {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", listenPort),
            InsecureServerCredentials.create())
        .addService(new PresenceServiceGrpc.PresenceServiceImplBase() {
          @Override
          public StreamObserver<ConnectRequest> connect(StreamObserver<ConnectResponse> toClient) {
            return relay(toClient);
          }
        })
        .build()
        .start();
  }

  /** Drops every call and refuses new connections, as a network outage would for the clients behind the tap. */
  void cut() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(2, TimeUnit.SECONDS);
  }

  /** Accepts connections again on the same port after {@link #cut()}. */
  void restore() throws InterruptedException {
    long deadline = System.nanoTime() + RealServer.PATIENCE.toNanos();
    while (true) {
      try {
        server = listen(port);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not listen on port " + port + " again", e);
        }
        Thread.sleep(20);
      }
    }
  }

  private StreamObserver<ConnectRequest> relay(StreamObserver<ConnectResponse> toClient) {
    StreamObserver<ConnectRequest> toServer = PresenceServiceGrpc.newStub(upstream).connect(
        new StreamObserver<>() {
          @Override
          public void onNext(ConnectResponse value) {
            toClient.onNext(value);
          }

          @Override
          public void onError(Throwable t) {
            toClient.onError(t);
          }

          @Override
          public void onCompleted() {
            toClient.onCompleted();
          }
        });
    return new StreamObserver<>() {
      @Override
      public void onNext(ConnectRequest value) {
        frames.add(new Seen(System.nanoTime(), value));
        toServer.onNext(value);
      }

      @Override
      public void onError(Throwable t) {
        toServer.onError(t);
      }

      @Override
      public void onCompleted() {
        toServer.onCompleted();
      }
    };
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  /** The update_state frames seen so far, in arrival order. */
  List<Seen> updates() {
    return frames.stream().filter(s -> s.frame().hasUpdateState()).toList();
  }

  @Override
  public void close() {
    server.shutdownNow();
    upstream.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
      upstream.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
