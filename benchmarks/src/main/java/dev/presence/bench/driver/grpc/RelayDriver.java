package dev.presence.bench.driver.grpc;

import dev.presence.bench.relay.CeilingRelay;

/**
 * Drives the {@link dev.presence.bench.relay.CeilingRelay}: each session joins its room and is ready when
 * the relay confirms; {@link dev.presence.bench.driver.UserSession#send} sends
 * {@code PresenceEvent{user_id: "u<user>", state: {x, y, seq, ts}}}, which comes back in the same frames
 * the presence server writes.
 */
public final class RelayDriver extends GrpcDriver {
  /** @param host the relay's host @param port its port */
  public RelayDriver(String host, int port) {
    this(host, port, GrpcDriverOptions.DEFAULTS);
  }

  /** @param host the relay's host @param port its port @param options threads and sharing */
  public RelayDriver(String host, int port, GrpcDriverOptions options) {
    super("relay driver", host, port, options, CeilingRelay.CONNECT, new RelayProtocol());
  }
}
