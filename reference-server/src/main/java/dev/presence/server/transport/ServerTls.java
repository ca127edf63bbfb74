package dev.presence.server.transport;

import dev.presence.server.config.ConfigException;
import dev.presence.server.config.ServerConfig;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.util.function.UnaryOperator;

/**
 * Builds the server's TLS contexts from PEM files: a certificate chain and a PKCS#8 private key, and,
 * for mutual TLS, the CA certificates every client certificate must chain to. With a client CA the
 * handshake fails for a client without a valid certificate, before any call starts. Both bindings use the
 * same files; only gRPC negotiates HTTP/2 by ALPN.
 */
final class ServerTls {
  private ServerTls() {}

  /**
   * @param config validated settings with TLS enabled
   * @return the context of the gRPC port
   * @throws ConfigException when a file cannot be used; the message names the setting, never key bytes
   */
  static SslContext grpcContext(ServerConfig config) {
    return context(config, GrpcSslContexts::configure);
  }

  /**
   * @param config validated settings with TLS enabled
   * @return the context of the WebSocket port, which speaks HTTP/1.1
   * @throws ConfigException when a file cannot be used; the message names the setting, never key bytes
   */
  static SslContext webSocketContext(ServerConfig config) {
    return context(config, UnaryOperator.identity());
  }

  private static SslContext context(ServerConfig config, UnaryOperator<SslContextBuilder> binding) {
    SslContextBuilder builder;
    try {
      builder = binding.apply(
          SslContextBuilder.forServer(new File(config.tlsCertFile()), new File(config.tlsKeyFile())));
    } catch (RuntimeException e) {
      throw new ConfigException("tlsCertFile/tlsKeyFile cannot be used as a PEM certificate chain and an "
          + "unencrypted PKCS#8 PEM key: " + e.getClass().getSimpleName());
    }
    if (!config.tlsClientCaFile().isEmpty()) {
      try {
        builder.trustManager(new File(config.tlsClientCaFile())).clientAuth(ClientAuth.REQUIRE);
      } catch (RuntimeException e) {
        throw new ConfigException("tlsClientCaFile cannot be read as PEM certificates: "
            + e.getClass().getSimpleName());
      }
    }
    try {
      return builder.build();
    } catch (javax.net.ssl.SSLException | RuntimeException e) {
      throw new ConfigException("TLS files are unusable (does the key match the certificate?): "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }
}
