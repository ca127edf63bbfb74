package dev.presence.conformance.cli;

import dev.presence.conformance.driver.Endpoint;
import dev.presence.conformance.driver.Endpoints;
import dev.presence.conformance.driver.GrpcEndpoint;
import dev.presence.conformance.driver.TlsTrust;
import dev.presence.conformance.driver.WebSocketEndpoint;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The endpoints of {@code --target}: a comma-separated list of {@code HOST:PORT} (gRPC, TLS with {@code --tls}),
 * {@code ws://HOST:PORT/PATH} and {@code wss://HOST:PORT/PATH} (TLS), trusting the roots of {@code --ca} when given.
 * It owns the gRPC channels it opens.
 */
final class Targets implements AutoCloseable {

  private static final int MAX_INBOUND_MESSAGE_BYTES = 32 << 20;

  private final Endpoints endpoints;
  private final List<ManagedChannel> channels;

  private Targets(Endpoints endpoints, List<ManagedChannel> channels) {
    this.endpoints = endpoints;
    this.channels = channels;
  }

  /**
   * Parses a {@code --target}.
   *
   * @param spec the comma-separated list
   * @param tls whether {@code HOST:PORT} entries use TLS
   * @param ca PEM roots to trust for TLS, or null for the system's
   * @throws IllegalArgumentException if an entry is malformed
   * @throws IOException if the roots cannot be read
   */
  static Targets parse(String spec, boolean tls, File ca) throws IOException {
    List<Endpoint> endpoints = new ArrayList<>();
    List<ManagedChannel> channels = new ArrayList<>();
    TlsTrust trust = ca == null ? TlsTrust.systemRoots() : TlsTrust.fromPem(ca.toPath());
    try {
      for (String entry : spec.split(",", -1)) {
        String target = entry.strip();
        if (target.isEmpty()) {
          throw new IllegalArgumentException("--target has an empty entry: '" + spec + "'");
        }
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ws://") || lower.startsWith("wss://")) {
          endpoints.add(WebSocketEndpoint.of(URI.create(target), trust));
        } else if (lower.contains("://")) {
          throw new IllegalArgumentException("--target entry '" + target + "' is neither HOST:PORT nor a ws:// or "
              + "wss:// URL");
        } else {
          endpoints.add(grpc(target, tls, ca, channels));
        }
      }
    } catch (RuntimeException | IOException e) {
      channels.forEach(ManagedChannel::shutdownNow);
      throw e;
    }
    return new Targets(Endpoints.of(endpoints), channels);
  }

  private static GrpcEndpoint grpc(String target, boolean tls, File ca, List<ManagedChannel> channels)
      throws IOException {
    HostAndPort address = HostAndPort.parse(target);
    ChannelCredentials credentials = credentials(tls, ca);
    ManagedChannel channel = Grpc.newChannelBuilder(target, credentials)
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES).build();
    channels.add(channel);
    return GrpcEndpoint.at(channel, address.host(), address.port(), (host, port) -> {
      var builder = Grpc.newChannelBuilderForAddress(host, port, credentials)
          .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
      return (tls ? builder.overrideAuthority(target) : builder).build();
    });
  }

  private static ChannelCredentials credentials(boolean tls, File ca) throws IOException {
    if (!tls) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder creds = TlsChannelCredentials.newBuilder();
    if (ca != null) {
      creds.trustManager(ca);
    }
    return creds.build();
  }

  /** Returns the endpoints, in the order given. */
  Endpoints endpoints() {
    return endpoints;
  }

  @Override
  public void close() {
    try {
      for (ManagedChannel c : channels) {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
