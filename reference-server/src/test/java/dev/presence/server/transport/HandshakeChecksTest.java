package dev.presence.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.server.auth.AuthenticationException;
import dev.presence.server.auth.Credentials;
import dev.presence.server.ops.OpsServices.Readiness;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reading credentials from the handshake (PRS-WS-6, PRS-WS-7), and the health answers. */
class HandshakeChecksTest {
  private static HttpHeaders offering(String... headerValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (String value : headerValues) {
      headers.add(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, value);
    }
    return headers;
  }

  private static String entry(byte[] token) {
    return "presence.v1.bearer." + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  @Test
  @DisplayName("PRS-WS-7: the bearer entry's base64url is decoded to the token, wherever it stands among the entries")
  void bearerEntry() throws Exception {
    String token = "eyJhbGciOiJIUzI1NiJ9.e30.sig-with_chars~";
    Credentials c = HandshakeChecks.credentials(
        offering("presence.v1, " + entry(token.getBytes(StandardCharsets.UTF_8))));
    assertThat(c.bearerToken()).isEqualTo(token);
    Credentials first = HandshakeChecks.credentials(
        offering(entry("é".getBytes(StandardCharsets.UTF_8)), "presence.v1"));
    assertThat(first.bearerToken()).isEqualTo("é");
    assertThat(c.toString()).doesNotContain(token);
  }

  @Test
  @DisplayName("PRS-WS-7: no entry is no credentials; two entries, bad base64url, padding or a token that is not UTF-8 are malformed")
  void malformedEntries() {
    assertThatThrownBy(() -> HandshakeChecks.credentials(offering("presence.v1")).bearerToken())
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("no bearer token");
    String twice = "presence.v1, " + entry(new byte[] {'a'}) + ", " + entry(new byte[] {'b'});
    assertThatThrownBy(() -> HandshakeChecks.credentials(offering(twice)).bearerToken())
        .hasMessageContaining("more than one");
    for (String bad : new String[] {"presence.v1.bearer.", "presence.v1.bearer.YQ==", "presence.v1.bearer.a+b/",
        "presence.v1.bearer.A"}) {
      assertThatThrownBy(() -> HandshakeChecks.credentials(offering("presence.v1, " + bad)).bearerToken())
          .as(bad).hasMessageContaining("base64url");
    }
    String notUtf8 = entry(new byte[] {(byte) 0xC3, (byte) 0x28});
    assertThatThrownBy(() -> HandshakeChecks.credentials(offering("presence.v1", notUtf8)).bearerToken())
        .hasMessageContaining("UTF-8");
  }

  @Test
  @DisplayName("/readyz answers 503 while starting and draining, 200 while serving; /healthz 200 throughout")
  void readiness() {
    AtomicReference<Readiness> state = new AtomicReference<>(Readiness.STARTING);
    HealthEndpoints health = new HealthEndpoints(state::get);
    assertThat(health.answer("/readyz", HttpMethod.GET).status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(health.answer("/healthz", HttpMethod.GET).status()).isEqualTo(HttpResponseStatus.OK);
    state.set(Readiness.SERVING);
    assertThat(health.answer("/readyz", HttpMethod.GET).status()).isEqualTo(HttpResponseStatus.OK);
    state.set(Readiness.DRAINING);
    assertThat(health.answer("/readyz", HttpMethod.HEAD).status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(health.answer("/healthz", HttpMethod.GET).status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(health.answer("/presence.v1", HttpMethod.GET)).isNull();
  }
}
