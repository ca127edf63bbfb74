package dev.presence.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PRS-WS-8: which page origins may open WebSocket sessions. */
class AllowedOriginsTest {
  @Test
  @DisplayName("PRS-WS-8: by default only the origin the Host header names is allowed, default ports included")
  void sameOriginByDefault() {
    AllowedOrigins same = AllowedOrigins.parse("");
    assertThat(same).isSameAs(AllowedOrigins.sameOrigin());
    assertThat(same.allows("http://localhost:8080", "localhost:8080")).isTrue();
    assertThat(same.allows("http://LOCALHOST:8080", "localhost:8080")).isTrue();
    assertThat(same.allows("https://example.com", "example.com")).isTrue();
    assertThat(same.allows("http://example.com", "example.com")).isTrue();
    assertThat(same.allows("https://example.com", "example.com:443")).isTrue();
    assertThat(same.allows("http://[::1]:8080", "[::1]:8080")).isTrue();
    assertThat(same.allows("http://localhost:3000", "localhost:8080")).isFalse();
    assertThat(same.allows("http://example.com:8080", "example.com")).isFalse();
    assertThat(same.allows("https://evil.example", "example.com")).isFalse();
    assertThat(same.allows("null", "example.com")).isFalse();
    assertThat(same.allows("http://example.com", null)).isFalse();
  }

  @Test
  @DisplayName("PRS-WS-8: a configured list allows exactly its origins, whatever the Host; * allows any")
  void listedOrAny() {
    AllowedOrigins listed = AllowedOrigins.parse(" https://app.example.com , http://localhost:3000 ");
    assertThat(listed.allows("https://app.example.com", "ws.example.com")).isTrue();
    assertThat(listed.allows("https://APP.example.com:443", "ws.example.com")).isTrue();
    assertThat(listed.allows("http://localhost:3000", "localhost:8080")).isTrue();
    assertThat(listed.allows("http://localhost:8080", "localhost:8080")).isFalse();
    assertThat(listed.allows("http://app.example.com", "ws.example.com")).isFalse();
    assertThat(listed.toString()).contains("https://app.example.com");
    AllowedOrigins any = AllowedOrigins.parse("*");
    assertThat(any.allows("null", null)).isTrue();
    assertThat(any.allows("https://evil.example", "example.com")).isTrue();
  }

  @Test
  @DisplayName("An entry that is not an origin is refused with a message naming it")
  void badEntries() {
    assertThatThrownBy(() -> AllowedOrigins.parse("https://a.example/path"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("https://a.example/path");
    assertThatThrownBy(() -> AllowedOrigins.parse("example.com")).hasMessageContaining("example.com");
    assertThatThrownBy(() -> AllowedOrigins.parse("https://a.example,")).isInstanceOf(ConfigException.class);
  }
}
