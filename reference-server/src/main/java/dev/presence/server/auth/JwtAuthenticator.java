package dev.presence.server.auth;

import dev.presence.protocol.Identifiers;
import dev.presence.protocol.v1.Open;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * Verifies a bearer JWT (PRS-TRN-3, PRS-WS-7, PRS-IDN-1, PRS-IDN-2). Exactly one algorithm
 * is accepted, fixed by the key the server was given, so a token cannot pick a weaker one. Claims used:
 * {@code sub} (user id), {@code name} (display name), {@code rooms} (allowed room ids), {@code exp},
 * {@code nbf}, and {@code iss}/{@code aud} when configured.
 */
public final class JwtAuthenticator implements Authenticator {
  /**
   * How far before {@code nbf} a token is already accepted, for an issuer whose clock runs ahead. {@code exp} gets
   * no such allowance: a live session ends at {@code exp} (PRS-IDN-6), so a token past it that still opened a
   * session would send a client with no fresher token round a loop of CREDENTIALS_EXPIRED and reopening at once
   * (PRS-RCN-7) for as long as the allowance lasted.
   */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  private final JwtParser parser;
  private final String algorithm;

  private JwtAuthenticator(Key key, String algorithm, String issuer, String audience) {
    this.algorithm = algorithm;
    JwtParserBuilder b = Jwts.parser().clockSkewSeconds(CLOCK_SKEW.toSeconds());
    if (key instanceof SecretKey secret) {
      b.verifyWith(secret);
    } else {
      b.verifyWith((PublicKey) key);
    }
    if (!issuer.isEmpty()) {
      b.requireIssuer(issuer);
    }
    if (!audience.isEmpty()) {
      b.requireAudience(audience);
    }
    this.parser = b.build();
  }

  /**
   * @param secret shared secret, at least 32 bytes of UTF-8
   * @param issuer required issuer, or empty
   * @param audience required audience, or empty
   * @return an HS256 authenticator
   */
  public static JwtAuthenticator hs256(String secret, String issuer, String audience) {
    return new JwtAuthenticator(Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8)), "HS256", issuer,
        audience);
  }

  /**
   * @param pem an RSA public key, PEM-encoded SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY})
   * @param issuer required issuer, or empty
   * @param audience required audience, or empty
   * @return an RS256 authenticator
   * @throws GeneralSecurityException when the key cannot be read
   */
  public static JwtAuthenticator rs256(String pem, String issuer, String audience) throws GeneralSecurityException {
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("public key is not valid PEM", e);
    }
    return new JwtAuthenticator(key, "RS256", issuer, audience);
  }

  @Override
  public Identity authenticate(Credentials credentials, Open open) throws AuthenticationException {
    String token = credentials.bearerToken();
    Jws<Claims> jws;
    try {
      jws = parser.parseSignedClaims(token);
    } catch (ExpiredJwtException e) {
      throw new AuthenticationException("token expired");
    } catch (JwtException | IllegalArgumentException e) {
      throw new AuthenticationException("token rejected: " + e.getClass().getSimpleName());
    }
    if (!algorithm.equals(jws.getHeader().getAlgorithm())) {
      throw new AuthenticationException("token algorithm must be " + algorithm);
    }
    Claims claims = jws.getPayload();
    Optional<Instant> expiry = Optional.ofNullable(claims.getExpiration()).map(d -> Instant.ofEpochMilli(d.getTime()));
    if (expiry.isPresent() && !expiry.get().isAfter(Instant.now())) {
      throw new AuthenticationException("token expired");
    }
    String userId = claims.getSubject();
    if (userId == null || !Identifiers.isValidUserId(userId)) {
      throw new AuthenticationException("token sub is missing or not a valid user id");
    }
    Object name = claims.get("name");
    return new Identity(userId, name instanceof String s ? s : "", rooms(claims.get("rooms")),
        expiry);
  }

  private static Optional<Set<String>> rooms(Object claim) throws AuthenticationException {
    if (claim == null) {
      return Optional.empty();
    }
    if (!(claim instanceof Collection<?> list)) {
      throw new AuthenticationException("token rooms claim must be an array of room ids");
    }
    Set<String> rooms = new LinkedHashSet<>();
    for (Object o : list) {
      rooms.add(String.valueOf(o));
    }
    return Optional.of(rooms);
  }

  @Override
  public String modeName() {
    return "jwt-" + algorithm.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public boolean insecure() {
    return false;
  }
}
