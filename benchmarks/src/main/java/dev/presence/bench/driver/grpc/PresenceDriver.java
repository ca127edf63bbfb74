package dev.presence.bench.driver.grpc;

/**
 * Drives the reference presence.v1 server, which must run in auth mode {@code none}: each session opens
 * as {@code u<user>}, subscribes to all users ({@code "all"}) and is ready when that snapshot completes;
 * {@link dev.presence.bench.driver.UserSession#send} replaces the session's state with
 * {@code {x, y, seq, ts}}. Answers server pings; errors after the open are counted in {@link #faults()}.
 */
public final class PresenceDriver extends GrpcDriver {
  /** @param host the server's host @param port its gRPC port */
  public PresenceDriver(String host, int port) {
    this(host, port, GrpcDriverOptions.DEFAULTS);
  }

  /** @param host the server's host @param port its gRPC port @param options threads and sharing */
  public PresenceDriver(String host, int port, GrpcDriverOptions options) {
    super("presence driver", host, port, options, new PresenceProtocol());
  }
}
