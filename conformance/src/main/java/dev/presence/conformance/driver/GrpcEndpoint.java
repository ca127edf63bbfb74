package dev.presence.conformance.driver;

import dev.presence.conformance.history.Binding;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/** A server's gRPC binding (SPEC.md §2.1), reached through a channel that the caller owns. */
public final class GrpcEndpoint implements Endpoint {

  private final Channel channel;
  private final String description;
  private final InetSocketAddress address;
  private final ChannelFactory channels;

  private GrpcEndpoint(Channel channel, String description, InetSocketAddress address, ChannelFactory channels) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.description = Objects.requireNonNull(description, "description");
    this.address = address;
    this.channels = channels;
  }

  /**
   * An endpoint whose address the kit does not know, so that it cannot put a fault proxy in front of it.
   *
   * @param channel the channel to the server
   * @param description how reports name it
   */
  public static GrpcEndpoint of(Channel channel, String description) {
    return new GrpcEndpoint(channel, description, null, null);
  }

  /**
   * An endpoint at a known address, which the kit can reach through its own proxies too.
   *
   * @param channel the channel to the server
   * @param host the server's host
   * @param port the server's port
   * @param channels opens channels with the same transport settings as {@code channel}, to a proxy's port
   */
  public static GrpcEndpoint at(Channel channel, String host, int port, ChannelFactory channels) {
    return new GrpcEndpoint(channel, host + ":" + port, InetSocketAddress.createUnresolved(host, port),
        Objects.requireNonNull(channels, "channels"));
  }

  @Override
  public Binding binding() {
    return Binding.GRPC;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Optional<InetSocketAddress> address() {
    return Optional.ofNullable(address);
  }

  @Override
  public WireCall open(int protocolVersion, Metadata headers, WireCall.Listener listener) {
    return GrpcCall.start(channel, "presence.v" + protocolVersion + ".PresenceService/Connect", headers, listener);
  }

  @Override
  public Relayed via(int loopbackPort) {
    if (channels == null) {
      throw new IllegalStateException("the kit does not know the address of " + description);
    }
    ManagedChannel relayed = channels.open("127.0.0.1", loopbackPort);
    return new Relayed(new GrpcEndpoint(relayed, description + " via 127.0.0.1:" + loopbackPort, null, null),
        relayed::shutdownNow);
  }
}
