package dev.presence.protocol;

import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fixed names and mappings of presence.v1's WebSocket binding (SPEC §2.2) that every JVM implementation shares:
 * the path and subprotocol (PRS-WS-1, PRS-WS-3), the credentials entry (PRS-WS-6, PRS-WS-7), and how a session's end
 * maps between gRPC codes, Close codes and handshake answers (PRS-WS-10, PRS-WS-11). {@code spec/vectors/websocket.json}
 * decides what these give.
 */
public final class WebSocketBinding {
  /** The request path of version 1 (PRS-WS-1). */
  public static final String PATH = path(1);
  /** The subprotocol a client offers and a server selects (PRS-WS-3). */
  public static final String SUBPROTOCOL = subprotocol(1);
  /** What precedes the base64url token in the credentials entry of version 1 (PRS-WS-6). */
  public static final String BEARER_PREFIX = bearerPrefix(1);
  /** The Close code of a session that ended with {@code OK}. */
  public static final int CLOSE_NORMAL = 1000;
  /** A server's Close code for a non-OK status is this plus the gRPC code's number (PRS-WS-10). */
  public static final int CLOSE_STATUS_BASE = 4000;
  /** The Close code a server may use for a message beyond 16 times the inbound limit (PRS-WS-16). */
  public static final int CLOSE_MESSAGE_TOO_BIG = 1009;
  /** How long a connection may take to complete its opening handshake (PRS-WS-17). */
  public static final long HANDSHAKE_DEADLINE_MILLIS = 10_000;

  private static final int HIGHEST_GRPC_CODE = Status.Code.UNAUTHENTICATED.value();
  private static final Pattern BASE64URL_NO_PADDING = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private WebSocketBinding() {}

  /** @param version the protocol version @return its request path, {@code /presence.vN} (PRS-WS-1, PRS-EVO-7) */
  public static String path(int version) {
    return "/" + subprotocol(version);
  }

  /** @param version the protocol version @return its subprotocol, {@code presence.vN} (PRS-WS-3) */
  public static String subprotocol(int version) {
    return "presence.v" + version;
  }

  /** @param version the protocol version @return what precedes the token in its credentials entry (PRS-WS-6) */
  public static String bearerPrefix(int version) {
    return subprotocol(version) + ".bearer.";
  }

  /**
   * Builds the credentials entry of PRS-WS-6 for a protocol version.
   *
   * @param version the protocol version the session asks for
   * @param token the bearer token, as it would follow {@code Bearer } on the gRPC binding
   * @return {@code presence.vN.bearer.} and the token's UTF-8 bytes in base64url without padding
   */
  public static String bearerEntry(int version, String token) {
    return bearerPrefix(version) + BASE64URL.encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Builds the credentials entry of PRS-WS-6.
   *
   * @param token the bearer token, as it would follow {@code Bearer } on the gRPC binding
   * @return {@code presence.v1.bearer.} and the token's UTF-8 bytes in base64url without padding
   */
  public static String bearerEntry(String token) {
    return bearerEntry(1, token);
  }

  /**
   * Finds the token among the offered subprotocols, as PRS-WS-7 says.
   *
   * @param offered the {@code Sec-WebSocket-Protocol} entries, in the order offered
   * @return the token, or empty when no entry carries one
   * @throws MalformedCredentialsException when the entry is empty, not base64url without padding or not UTF-8
   *     once decoded, or when several entries carry a token
   */
  public static Optional<String> tokenOf(List<String> offered) throws MalformedCredentialsException {
    List<String> entries = new ArrayList<>();
    for (String entry : offered) {
      if (entry.startsWith(BEARER_PREFIX)) {
        entries.add(entry.substring(BEARER_PREFIX.length()));
      }
    }
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    if (entries.size() > 1) {
      throw new MalformedCredentialsException("more than one " + BEARER_PREFIX + " subprotocol entry");
    }
    String encoded = entries.get(0);
    // A base64url text of length 4k+1 has a lone 6-bit group, which no byte string encodes to.
    if (!BASE64URL_NO_PADDING.matcher(encoded).matches() || encoded.length() % 4 == 1) {
      throw new MalformedCredentialsException("the credentials entry is not a token in base64url without padding");
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(encoded)))
          .toString());
    } catch (CharacterCodingException e) {
      throw new MalformedCredentialsException("the token in the credentials entry is not UTF-8");
    }
  }

  /**
   * Splits a {@code Sec-WebSocket-Protocol} header value into its entries.
   *
   * @param headerValue the header's value, may be null
   * @return the entries, trimmed, empty ones dropped
   */
  public static List<String> subprotocolEntries(String headerValue) {
    List<String> entries = new ArrayList<>();
    if (headerValue == null) {
      return entries;
    }
    for (String part : headerValue.split(",")) {
      String trimmed = part.trim();
      if (!trimmed.isEmpty()) {
        entries.add(trimmed);
      }
    }
    return entries;
  }

  /**
   * The Close code a server sends after {@code session_end} (PRS-WS-10).
   *
   * @param code the status code
   * @return 1000 for {@code OK}, otherwise 4000 plus the code's number
   */
  public static int closeCode(Status.Code code) {
    return code == Status.Code.OK ? CLOSE_NORMAL : CLOSE_STATUS_BASE + code.value();
  }

  /**
   * How a client reads a Close code that came without {@code session_end} (PRS-WS-11).
   *
   * @param closeCode the Close frame's code, or 1006 when the connection closed without one
   * @return the status code it stands for
   */
  public static Status.Code codeOfClose(int closeCode) {
    if (closeCode == CLOSE_NORMAL) {
      return Status.Code.OK;
    }
    int grpc = closeCode - CLOSE_STATUS_BASE;
    if (grpc >= 0 && grpc <= HIGHEST_GRPC_CODE) {
      return Status.fromCodeValue(grpc).getCode();
    }
    return Status.Code.UNAVAILABLE;
  }

  /**
   * How a client reads a refused opening handshake (PRS-WS-11).
   *
   * @param httpStatus the HTTP status of the answer, or 0 when the handshake failed without one
   * @return the status code it stands for
   */
  public static Status.Code codeOfHandshakeStatus(int httpStatus) {
    switch (httpStatus) {
      case 401:
        return Status.Code.UNAUTHENTICATED;
      case 403:
        return Status.Code.PERMISSION_DENIED;
      case 404:
        return Status.Code.UNIMPLEMENTED;
      default:
        return httpStatus >= 400 && httpStatus < 500 ? Status.Code.FAILED_PRECONDITION : Status.Code.UNAVAILABLE;
    }
  }

  /** The credentials entry could not be read; the session ends with {@code UNAUTHENTICATED} (PRS-WS-7). */
  public static final class MalformedCredentialsException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedCredentialsException(String message) {
      super(message);
    }
  }
}
