package dev.presence.client.internal;

import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The channel sessions run on: either the application's, which the client never shuts down, or one the client
 * creates for its target and owns.
 */
final class ClientChannel {
  private final Channel channel;
  private final ManagedChannel owned;

  ClientChannel(ClientConfig config) {
    if (config.channel() != null) {
      this.channel = config.channel();
      this.owned = null;
    } else {
      this.owned = Grpc.newChannelBuilder(config.target(), credentials(config))
          .maxInboundMessageSize(ServerLimits.DEFAULT_FRAME_BYTES)
          .build();
      this.channel = owned;
    }
  }

  private static ChannelCredentials credentials(ClientConfig config) {
    if (!config.tls()) {
      return InsecureChannelCredentials.create();
    }
    if (config.trustedCertificates() == null) {
      return TlsChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder().trustManager(config.trustedCertificates().toFile()).build();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read trusted certificates", e);
    }
  }

  Channel get() {
    return channel;
  }

  /**
   * Makes the next call use a new connection: after a session was abandoned as dead (PRS-LIV-9), instead of the
   * silent one; when a server drains (PRS-DRN-6), so that a load balancer can route the new session elsewhere.
   * Calls already running keep their connection until they end. The application's own channel is left alone: its
   * load balancing is the application's.
   */
  void dropConnection() {
    if (owned != null) {
      owned.enterIdle();
    }
  }

  /** Shuts down an owned channel, giving the leave a moment to reach the server first. */
  void release() {
    if (owned == null) {
      return;
    }
    owned.shutdown();
    try {
      if (!owned.awaitTermination(1, TimeUnit.SECONDS)) {
        owned.shutdownNow();
      }
    } catch (InterruptedException e) {
      owned.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
