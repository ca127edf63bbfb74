package dev.presence.conformance.driver;

import dev.presence.conformance.history.Binding;
import io.grpc.Metadata;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A server's WebSocket binding (SPEC.md §2.2) at a {@code ws://} or {@code wss://} URL whose path ends in
 * {@code /presence.v1}, under any prefix the deployment documents (PRS-WS-1).
 */
public final class WebSocketEndpoint implements Endpoint {

  /** The path of protocol version 1 (PRS-WS-1). */
  public static final String PATH = "/presence.v1";
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final URI uri;
  private final String description;
  private final TlsTrust trust;
  private final SSLContext tls;
  private final HttpClient client;

  private WebSocketEndpoint(URI uri, String description, TlsTrust trust, SSLContext tls) {
    this.uri = uri;
    this.description = description;
    this.trust = trust;
    this.tls = tls;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(HANDSHAKE_TIMEOUT);
    this.client = (tls == null ? builder : builder.sslContext(tls)).build();
  }

  /**
   * An endpoint at a URL. A URL without a path gets {@code /presence.v1}, as PRS-WS-1 tells clients.
   *
   * @param url a {@code ws://} or {@code wss://} URL
   * @param trust the roots a {@code wss://} server's certificate must chain to
   * @throws IllegalArgumentException if it is no such URL, or its path does not end in {@code /presence.v1}
   */
  public static WebSocketEndpoint of(URI url, TlsTrust trust) {
    Objects.requireNonNull(trust, "trust");
    String scheme = String.valueOf(url.getScheme()).toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException(url + " is no ws:// or wss:// URL");
    }
    if (url.getHost() == null || url.getQuery() != null || url.getFragment() != null) {
      throw new IllegalArgumentException(url + " needs a host, and no query or fragment");
    }
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/") ? PATH
        : url.getRawPath();
    if (!path.endsWith(PATH)) {
      throw new IllegalArgumentException(url + ": the path must be " + PATH + ", under a prefix or not (PRS-WS-1)");
    }
    URI normalized = withPath(url, path);
    boolean secure = scheme.equals("wss");
    return new WebSocketEndpoint(normalized, normalized.toString(), trust, secure ? trust.context() : null);
  }

  /** A {@code ws://} endpoint on a loopback port, with the default path. */
  public static WebSocketEndpoint loopback(int port) {
    return of(URI.create("ws://127.0.0.1:" + port + PATH), TlsTrust.systemRoots());
  }

  /** Returns the URL of protocol version 1. */
  public URI uri() {
    return uri;
  }

  /** Returns the URL of another path under the same prefix, such as {@code /presence.v2} (PRS-EVO-7). */
  public URI uriAt(String path) {
    String prefix = uri.getRawPath().substring(0, uri.getRawPath().length() - PATH.length());
    return withPath(uri, prefix + path);
  }

  /** Returns the TLS context of a {@code wss://} endpoint, or empty for {@code ws://}. */
  public Optional<SSLContext> tls() {
    return Optional.ofNullable(tls);
  }

  @Override
  public Binding binding() {
    return Binding.WEBSOCKET;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Optional<InetSocketAddress> address() {
    int port = uri.getPort() >= 0 ? uri.getPort() : tls == null ? 80 : 443;
    return Optional.of(InetSocketAddress.createUnresolved(uri.getHost(), port));
  }

  @Override
  public WireCall open(int protocolVersion, Metadata headers, WireCall.Listener listener) {
    return WebSocketCall.open(client, uriAt("/presence.v" + protocolVersion),
        BearerSubprotocol.offer(protocolVersion, headers), HANDSHAKE_TIMEOUT, listener);
  }

  /**
   * Starts a session that offers exactly these {@code Sec-WebSocket-Protocol} entries, for the cases of PRS-WS-3
   * and PRS-WS-7.
   *
   * @param subprotocols the entries, in order
   * @param listener hears the call's frames and end
   */
  public WireCall open(List<String> subprotocols, WireCall.Listener listener) {
    return WebSocketCall.open(client, uri, subprotocols, HANDSHAKE_TIMEOUT, listener);
  }

  @Override
  public Relayed via(int loopbackPort) {
    URI relayed;
    try {
      relayed = new URI(uri.getScheme(), null, "127.0.0.1", loopbackPort, uri.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    SSLContext pinned = tls == null ? null : trust.contextFor(uri.getHost());
    return new Relayed(new WebSocketEndpoint(relayed, description + " via 127.0.0.1:" + loopbackPort, trust,
        pinned), () -> { });
  }

  private static URI withPath(URI url, String rawPath) {
    return URI.create(url.getScheme() + "://" + url.getRawAuthority() + rawPath);
  }
}
