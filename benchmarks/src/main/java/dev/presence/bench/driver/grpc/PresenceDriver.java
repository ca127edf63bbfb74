package dev.presence.bench.driver.grpc;

import dev.presence.bench.driver.frames.PresenceProtocol;
import dev.presence.bench.wire.RawBytes;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.MethodDescriptor;

/**
 * Drives the reference presence.v1 server over its gRPC binding with the {@link PresenceProtocol}; the
 * server must run in auth mode {@code none}. Errors after the open are counted in {@link #faults()}.
 */
public final class PresenceDriver extends GrpcDriver {
  private static final MethodDescriptor<byte[], byte[]> CONNECT =
      RawBytes.bidiStreaming(PresenceServiceGrpc.getConnectMethod().getFullMethodName());

  /** @param host the server's host @param port its gRPC port */
  public PresenceDriver(String host, int port) {
    this(host, port, GrpcDriverOptions.DEFAULTS);
  }

  /** @param host the server's host @param port its gRPC port @param options threads and sharing */
  public PresenceDriver(String host, int port, GrpcDriverOptions options) {
    super("presence driver", host, port, options, CONNECT, new PresenceProtocol());
  }
}
