package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.Token;
import dev.presence.client.testing.Covers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Learning a token's expiry and when to refresh it (PRS-RCN-6). */
@Covers("PRS-RCN-6")
class CredentialsTest {

  private static String jwt(String payloadJson) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
  }

  @Test
  void theExpiryOfAJwtIsItsExpClaimReadWithoutVerification() {
    assertThat(Credentials.jwtExpiry(jwt("{\"sub\":\"ada\",\"exp\":1700000000,\"rooms\":[\"a\"]}")))
        .isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(Credentials.jwtExpiry(jwt("{\"sub\":\"ada\"}"))).isNull();
    assertThat(Credentials.jwtExpiry(jwt("{\"exp\":\"soon\"}"))).isNull();
    assertThat(Credentials.jwtExpiry("opaque-token")).isNull();
    assertThat(Credentials.jwtExpiry("a.!!!.c")).isNull();
    assertThat(Credentials.jwtExpiry("a." + Base64.getUrlEncoder().encodeToString("not json".getBytes(
        StandardCharsets.UTF_8)) + ".c")).isNull();
  }

  @Test
  void anExplicitExpiryWinsOverTheJwtClaim() {
    Instant explicit = Instant.ofEpochSecond(42);
    assertThat(Credentials.of(Token.of(jwt("{\"exp\":1700000000}"), explicit), 0).expiresAt()).isEqualTo(explicit);
    assertThat(Credentials.of(Token.of(jwt("{\"exp\":1700000000}")), 0).expiresAt())
        .isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(Credentials.of(Token.of("opaque"), 0).expiresAt()).isNull();
    assertThat(Credentials.of(null, 0).token()).isNull();
  }

  @Test
  void refreshAtExpiryMinusAThirdOfTheLifetimeAtMostThirtySeconds() {
    Credentials sixSeconds = new Credentials("t", 100_000, Instant.ofEpochMilli(106_000));
    assertThat(sixSeconds.refreshDelayMillis(100_000)).isEqualTo(4_000);
    assertThat(sixSeconds.refreshDelayMillis(101_000)).isEqualTo(3_000);
    Credentials hour = new Credentials("t", 0, Instant.ofEpochMilli(3_600_000));
    assertThat(hour.refreshDelayMillis(0)).isEqualTo(3_600_000 - 30_000);
  }

  @Test
  void neverSoonerThanASecondAfterObtainingAndNotAtAllWithoutAnExpiry() {
    assertThat(new Credentials("t", 0, Instant.ofEpochMilli(600)).refreshDelayMillis(0)).isEqualTo(1_000);
    assertThat(new Credentials("t", 0, Instant.ofEpochMilli(0)).refreshDelayMillis(0)).isEqualTo(-1);
    assertThat(new Credentials("t", 0, null).refreshDelayMillis(0)).isEqualTo(-1);
    assertThat(Token.of("secret", Instant.EPOCH).toString()).doesNotContain("secret");
  }
}
