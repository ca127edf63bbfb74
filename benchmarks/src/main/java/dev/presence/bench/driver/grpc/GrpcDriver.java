package dev.presence.bench.driver.grpc;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.FaultCounts;
import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.UserSession;
import dev.presence.bench.driver.frames.FrameProtocol;
import io.grpc.MethodDescriptor;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Everything a gRPC driver does, for any {@link FrameProtocol} carried by one bidirectional method; the
 * public drivers only name theirs.
 */
abstract class GrpcDriver implements Driver {
  private final MethodDescriptor<byte[], byte[]> method;
  private final FrameProtocol protocol;
  private final ClientChannels channels;
  private final FaultCounts faults;

  GrpcDriver(String name, String host, int port, GrpcDriverOptions options,
      MethodDescriptor<byte[], byte[]> method, FrameProtocol protocol) {
    this.method = method;
    this.protocol = protocol;
    this.channels = new ClientChannels(host, port, options);
    this.faults = new FaultCounts(name);
  }

  @Override
  public final CompletableFuture<UserSession> open(String roomId, int user, Receiver receiver) {
    return new GrpcSession(channels.lease(), method, protocol, receiver, faults).start(roomId, user);
  }

  @Override
  public final Map<String, Long> faults() {
    return faults.snapshot();
  }

  @Override
  public final void close() {
    faults.closing();
    channels.close();
  }
}
