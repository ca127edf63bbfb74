package dev.presence.conformance.driver;

import dev.presence.protocol.WebSocketBinding;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code Sec-WebSocket-Protocol} entries of a WebSocket session (PRS-WS-3, PRS-WS-6): the protocol, then the
 * bearer token of the call's {@code authorization} header as {@code presence.v1.bearer.<base64url>}.
 */
public final class BearerSubprotocol {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  /** Not in the base64url alphabet, so an entry that starts with it is malformed credentials (PRS-WS-7). */
  private static final String NOT_BASE64URL = "~";

  private BearerSubprotocol() {}

  /** Returns the subprotocol of a protocol version, {@code presence.v1} for 1. */
  public static String protocol(int protocolVersion) {
    return WebSocketBinding.subprotocol(protocolVersion);
  }

  /** Returns the entry that carries a bearer token for a protocol version. */
  public static String entry(int protocolVersion, String token) {
    return WebSocketBinding.bearerEntry(protocolVersion, token);
  }

  /**
   * Returns the entries a session offers for call metadata. An {@code authorization} value that is no bearer token
   * has no form on this binding; it travels as an entry that is not base64url, which PRS-WS-7 counts as malformed
   * credentials, as a malformed header is on gRPC.
   *
   * @param protocolVersion the version the session asks for
   * @param headers the call's credentials
   */
  public static List<String> offer(int protocolVersion, Metadata headers) {
    List<String> entries = new ArrayList<>(List.of(protocol(protocolVersion)));
    String authorization = headers.get(AUTHORIZATION);
    if (authorization == null) {
      return entries;
    }
    if (authorization.startsWith(BEARER)) {
      entries.add(entry(protocolVersion, authorization.substring(BEARER.length())));
    } else {
      entries.add(WebSocketBinding.bearerPrefix(protocolVersion) + NOT_BASE64URL
          + BASE64URL.encodeToString(authorization.getBytes(StandardCharsets.UTF_8)));
    }
    return entries;
  }
}
