package dev.presence.conformance.driver;

import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials a server must refuse, made from a valid bearer token without the server's signing key: the token with
 * its signature altered, a JWT whose claims were rewritten or whose signature was stripped, and authorization
 * headers that are no bearer token at all (SPEC.md PRS-IDN-1, PRS-IDN-2).
 */
public final class ForgedCredentials {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";
  private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final Pattern SUBJECT = Pattern.compile("\"sub\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private ForgedCredentials() {}

  /** Returns the bearer token that credentials present for a user, or empty when they present none. */
  public static Optional<String> bearerToken(Credentials credentials, String user) {
    String value = credentials.headersFor(user).get(AUTHORIZATION);
    return value != null && value.startsWith(BEARER) ? Optional.of(value.substring(BEARER.length()))
        : Optional.empty();
  }

  /** Returns call metadata whose {@code authorization} is exactly {@code value}. */
  public static Metadata authorization(String value) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, value);
    return headers;
  }

  /** Returns call metadata presenting {@code token} as a bearer token. */
  public static Metadata bearer(String token) {
    return authorization(BEARER + token);
  }

  /** Returns whether a token has the shape of a signed JWT: three base64url parts. */
  public static boolean isJwt(String token) {
    return JWT.matcher(token).matches();
  }

  /**
   * Returns the token with one character of its signature changed; for a token that is no JWT, one character in its
   * middle. The first character of a JWT signature is changed because the last one may carry only padding bits.
   */
  public static String withAlteredSignature(String token) {
    int at = isJwt(token) && token.lastIndexOf('.') < token.length() - 1 ? token.lastIndexOf('.') + 1
        : token.length() / 2;
    char c = token.charAt(at);
    char replacement = c == 'A' ? 'B' : 'A';
    return token.substring(0, at) + replacement + token.substring(at + 1);
  }

  /**
   * Returns a JWT whose {@code sub} claim says {@code subject}, with the original header and signature, which no
   * longer match; empty when the token is no JWT or its payload has no string {@code sub}.
   */
  public static Optional<String> withSubject(String token, String subject) {
    if (!isJwt(token)) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    Matcher m = SUBJECT.matcher(payload);
    if (!m.find()) {
      return Optional.empty();
    }
    String forged = payload.substring(0, m.start()) + "\"sub\":\"" + jsonEscaped(subject) + "\""
        + payload.substring(m.end());
    return Optional.of(parts[0] + "." + encode(forged) + "." + parts[2]);
  }

  /**
   * Returns a JWT with the same claims, declared unsigned ({@code "alg":"none"}) and with no signature; empty when
   * the token is no JWT.
   */
  public static Optional<String> unsigned(String token) {
    if (!isJwt(token)) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    return Optional.of(encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".");
  }

  private static String encode(String json) {
    return ENCODER.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String jsonEscaped(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
