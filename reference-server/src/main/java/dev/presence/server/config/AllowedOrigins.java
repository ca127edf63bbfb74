package dev.presence.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The page origins whose browsers may open WebSocket sessions (PRS-WS-8). Either every origin ({@code *}), a
 * list of origins ({@code https://app.example.com,http://localhost:3000}), or, when nothing is configured, only
 * the server's own origin: an {@code Origin} whose host and port equal those of the handshake's {@code Host}
 * header. An {@code Origin} without a port has its scheme's default (80 for http, 443 for https), and a
 * {@code Host} without a port matches only an {@code Origin} on its scheme's default port, since a browser
 * leaves the port out of both exactly then. Origins compare without regard to case and to an explicit default
 * port. A handshake without {@code Origin} is not judged here.
 */
public final class AllowedOrigins {
  private static final AllowedOrigins SAME_ORIGIN = new AllowedOrigins(false, List.of(), "same-origin");
  private static final AllowedOrigins ANY = new AllowedOrigins(true, List.of(), "*");

  private final boolean any;
  private final List<Origin> listed;
  private final String text;

  private AllowedOrigins(boolean any, List<Origin> listed, String text) {
    this.any = any;
    this.listed = listed;
    this.text = text;
  }

  /** @return the default: only the origin the {@code Host} header names */
  public static AllowedOrigins sameOrigin() {
    return SAME_ORIGIN;
  }

  /**
   * @param csv empty for {@link #sameOrigin()}, {@code *} for any origin, else comma-separated origins
   *     {@code scheme://host[:port]}
   * @return the policy
   * @throws ConfigException naming the first entry that is not an origin
   */
  public static AllowedOrigins parse(String csv) {
    String trimmed = csv == null ? "" : csv.trim();
    if (trimmed.isEmpty()) {
      return SAME_ORIGIN;
    }
    List<Origin> origins = new ArrayList<>();
    for (String entry : trimmed.split(",")) {
      String e = entry.trim();
      if (e.equals("*")) {
        return ANY;
      }
      Origin origin = Origin.parse(e);
      if (origin == null) {
        throw new ConfigException("wsAllowedOrigins entry '" + e + "' is not * or an origin scheme://host[:port]");
      }
      origins.add(origin);
    }
    return new AllowedOrigins(false, List.copyOf(origins), trimmed);
  }

  /**
   * @param origin the handshake's {@code Origin} header
   * @param host the handshake's {@code Host} header, or null
   * @return whether a page of that origin may open a session
   */
  public boolean allows(String origin, String host) {
    if (any) {
      return true;
    }
    Origin o = Origin.parse(origin.trim());
    if (o == null) {
      return false;
    }
    if (!listed.isEmpty()) {
      return listed.contains(o);
    }
    return host != null && o.sameHostAndPort(host.trim());
  }

  @Override
  public String toString() {
    return text;
  }

  /** A serialized origin, normalized: lower case, default port made explicit. */
  private record Origin(String scheme, String host, int port) {
    static Origin parse(String text) {
      try {
        URI uri = new URI(text);
        String path = uri.getRawPath();
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
            || (path != null && !path.isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
          return null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
        return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
      } catch (URISyntaxException e) {
        return null;
      }
    }

    boolean sameHostAndPort(String hostHeader) {
      Origin hostOrigin = parse("http://" + hostHeader);
      if (hostOrigin == null || !hostOrigin.host.equals(host)) {
        return false;
      }
      boolean hostHasPort = hostHeader.lastIndexOf(':') > hostHeader.lastIndexOf(']');
      return hostHasPort ? hostOrigin.port == port : port == defaultPort(scheme);
    }

    private static int defaultPort(String scheme) {
      return switch (scheme) {
        case "http", "ws" -> 80;
        case "https", "wss" -> 443;
        default -> -1;
      };
    }
  }
}
