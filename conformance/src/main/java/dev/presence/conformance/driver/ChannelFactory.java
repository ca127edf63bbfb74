package dev.presence.conformance.driver;

import io.grpc.ManagedChannel;

/** Opens channels with the run's transport settings (TLS, trust roots) to an address, such as a fault proxy. */
@FunctionalInterface
public interface ChannelFactory {

  /**
   * Opens a channel; the caller closes it.
   *
   * @param host the host to connect to
   * @param port the port to connect to
   * @return the channel
   */
  ManagedChannel open(String host, int port);
}
