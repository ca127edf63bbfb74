package dev.presence.conformance.driver;

import java.util.Objects;

/**
 * Where the server under test listens and how to open channels like the run's own, so that the kit can put a
 * {@link TcpFaultProxy} in front of a session.
 *
 * @param host the server's host
 * @param port the server's port
 * @param channels opens channels with the run's transport settings
 */
public record NetworkAccess(String host, int port, ChannelFactory channels) {

  /** Validates the components. */
  public NetworkAccess {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(channels, "channels");
  }
}
