package dev.presence.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.presence.protocol.v1.Open;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RS256 verification and algorithm pinning. */
class JwtAuthenticatorTest {
  private static Credentials bearer(String token) {
    return Credentials.bearer(token);
  }

  private static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  @Test
  @DisplayName("PRS-IDN-1: an RS256 token signed by the configured key yields sub, name, rooms and expiry")
  void rs256() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    JwtAuthenticator auth = JwtAuthenticator.rs256(pem(pair), "", "presence");
    Instant exp = Instant.now().plusSeconds(30);
    String token = Jwts.builder().subject("alice").audience().add("presence").and().claim("name", "Alice")
        .claim("rooms", List.of("r1")).expiration(Date.from(exp)).signWith(pair.getPrivate()).compact();
    Identity id = auth.authenticate(bearer(token), Open.getDefaultInstance());
    assertThat(id.userId()).isEqualTo("alice");
    assertThat(id.displayName()).isEqualTo("Alice");
    assertThat(id.mayJoin("r1")).isTrue();
    assertThat(id.mayJoin("r2")).isFalse();
    assertThat(id.expiresAt()).isPresent();
    assertThat(auth.modeName()).isEqualTo("jwt-rs256");
    assertThat(auth.insecure()).isFalse();
  }

  @Test
  @DisplayName("PRS-IDN-2/PRS-IDN-6: a token past exp opens no session, even within the clock skew allowed for nbf")
  void expiredTokensOpenNothingSinceLiveSessionsEndAtExp() {
    String secret = "a-secret-of-at-least-thirty-two-bytes!";
    JwtAuthenticator auth = JwtAuthenticator.hs256(secret, "", "");
    javax.crypto.SecretKey key = Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
    String justExpired = Jwts.builder().subject("alice").expiration(Date.from(Instant.now().minusSeconds(2)))
        .signWith(key).compact();
    String notYetValid = Jwts.builder().subject("alice").notBefore(Date.from(Instant.now().plusSeconds(2)))
        .expiration(Date.from(Instant.now().plusSeconds(60))).signWith(key).compact();

    assertThatThrownBy(() -> auth.authenticate(bearer(justExpired), Open.getDefaultInstance()))
        .isInstanceOf(AuthenticationException.class).hasMessage("token expired");
    assertThat(catchThrowable(() -> auth.authenticate(bearer(notYetValid), Open.getDefaultInstance()))).isNull();
  }

  @Test
  @DisplayName("PRS-IDN-2: a token for another audience, an HS256 token, a token without sub, no token or malformed credentials are rejected")
  void rejections() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    JwtAuthenticator auth = JwtAuthenticator.rs256(pem(pair), "", "presence");
    String otherAudience = Jwts.builder().subject("alice").audience().add("other").and()
        .signWith(pair.getPrivate()).compact();
    assertThatThrownBy(() -> auth.authenticate(bearer(otherAudience), Open.getDefaultInstance()))
        .isInstanceOf(AuthenticationException.class);
    String hs = Jwts.builder().subject("alice").audience().add("presence").and()
        .signWith(Keys.hmacShaKeyFor("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8))).compact();
    assertThatThrownBy(() -> auth.authenticate(bearer(hs), Open.getDefaultInstance()))
        .isInstanceOf(AuthenticationException.class);
    String noSub = Jwts.builder().audience().add("presence").and().signWith(pair.getPrivate()).compact();
    assertThatThrownBy(() -> auth.authenticate(bearer(noSub), Open.getDefaultInstance()))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("sub");
    assertThatThrownBy(() -> auth.authenticate(Credentials.none(), Open.getDefaultInstance()))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("bearer");
    assertThatThrownBy(() -> auth.authenticate(Credentials.malformed("not base64url"), Open.getDefaultInstance()))
        .isInstanceOf(AuthenticationException.class).hasMessage("not base64url");
  }

  @Test
  @DisplayName("PRS-IDN-9: a name claim loses its control characters and is cut to 256 UTF-8 bytes")
  void nameClaimSanitized() throws Exception {
    String secret = "0123456789abcdef0123456789abcdef-test-only";
    JwtAuthenticator auth = JwtAuthenticator.hs256(secret, "", "");
    String token = Jwts.builder().subject("alice").claim("name", "Al\u0000ice\n" + "x".repeat(300))
        .signWith(Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8))).compact();
    assertThat(auth.authenticate(bearer(token), Open.getDefaultInstance()).displayName())
        .isEqualTo("Alice" + "x".repeat(251));
  }
}
