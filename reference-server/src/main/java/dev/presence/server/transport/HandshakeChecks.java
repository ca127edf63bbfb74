package dev.presence.server.transport;

import dev.presence.protocol.WebSocketBinding;
import dev.presence.server.auth.Credentials;
import dev.presence.server.config.AllowedOrigins;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The checks of a WebSocket opening handshake, in this order: the path (404, PRS-WS-2), an upgrade at all (426),
 * a well-formed RFC 6455 handshake (400), the subprotocol {@code presence.v1} offered (400, PRS-WS-3), and the
 * {@code Origin} allowed (403, PRS-WS-8). Credentials are read here but judged only at {@code open} (PRS-WS-7).
 */
final class HandshakeChecks {
  static final String PATH = WebSocketBinding.PATH;
  static final String SUBPROTOCOL = WebSocketBinding.SUBPROTOCOL;
  static final String BEARER_PREFIX = WebSocketBinding.BEARER_PREFIX;
  private static final int WEBSOCKET_KEY_BYTES = 16;

  private HandshakeChecks() {}

  /**
   * @param request the handshake request
   * @param path its path, without the query
   * @param origins the origins allowed to open sessions
   * @return the answer that refuses the handshake, or null when it may proceed
   */
  static HttpAnswer refusal(HttpRequest request, String path, AllowedOrigins origins) {
    if (!path.equals(PATH)) {
      return new HttpAnswer(HttpResponseStatus.NOT_FOUND,
          "not found: presence.v1 WebSocket sessions are served at " + PATH);
    }
    HttpHeaders headers = request.headers();
    if (!headers.containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
      return new HttpAnswer(HttpResponseStatus.UPGRADE_REQUIRED,
          PATH + " is a WebSocket endpoint: send a WebSocket opening handshake (Upgrade: websocket)",
          Map.of(HttpHeaderNames.UPGRADE.toString(), "websocket", HttpHeaderNames.CONNECTION.toString(), "Upgrade"));
    }
    String malformed = malformation(request);
    if (malformed != null) {
      return new HttpAnswer(HttpResponseStatus.BAD_REQUEST, "malformed WebSocket handshake: " + malformed,
          malformed.startsWith("Sec-WebSocket-Version")
              ? Map.of(HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), "13") : Map.of());
    }
    if (!offeredSubprotocols(headers).contains(SUBPROTOCOL)) {
      return new HttpAnswer(HttpResponseStatus.BAD_REQUEST,
          "the handshake must offer the subprotocol " + SUBPROTOCOL + " in Sec-WebSocket-Protocol");
    }
    String origin = headers.get(HttpHeaderNames.ORIGIN);
    if (origin != null && !origins.allows(origin, headers.get(HttpHeaderNames.HOST))) {
      return new HttpAnswer(HttpResponseStatus.FORBIDDEN,
          "this server does not accept WebSocket sessions from pages of the request's Origin");
    }
    return null;
  }

  /** @return what makes the request no valid opening handshake (RFC 6455 §4.2.1), or null */
  private static String malformation(HttpRequest request) {
    HttpHeaders headers = request.headers();
    if (!request.method().equals(HttpMethod.GET)) {
      return "the method must be GET";
    }
    if (request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0) {
      return "the HTTP version must be at least 1.1";
    }
    if (!headers.contains(HttpHeaderNames.HOST)) {
      return "the Host header is missing";
    }
    if (!headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)) {
      return "the Connection header must include Upgrade";
    }
    if (!validKey(headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
      return "Sec-WebSocket-Key must be the base64 encoding of 16 bytes";
    }
    if (!"13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
      return "Sec-WebSocket-Version must be 13";
    }
    return null;
  }

  private static boolean validKey(List<String> keys) {
    if (keys.size() != 1) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(keys.get(0).trim()).length == WEBSOCKET_KEY_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** @return every entry of every {@code Sec-WebSocket-Protocol} header, in order */
  static List<String> offeredSubprotocols(HttpHeaders headers) {
    List<String> offered = new ArrayList<>();
    for (String header : headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
      for (String entry : header.split(",")) {
        String e = entry.trim();
        if (!e.isEmpty()) {
          offered.add(e);
        }
      }
    }
    return offered;
  }

  /**
   * Reads credentials from the {@code presence.v1.bearer.} entry (PRS-WS-6, PRS-WS-7) as
   * {@link WebSocketBinding#tokenOf} does: none without such an entry, malformed when it cannot be read.
   *
   * @param headers the handshake's headers
   * @return the credentials, to be judged at {@code open}
   */
  static Credentials credentials(HttpHeaders headers) {
    try {
      return WebSocketBinding.tokenOf(offeredSubprotocols(headers)).map(Credentials::bearer).orElse(Credentials.none());
    } catch (WebSocketBinding.MalformedCredentialsException e) {
      return Credentials.malformed(e.getMessage());
    }
  }
}
