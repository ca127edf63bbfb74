package dev.presence.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DisplayNamesTest {
  @Test
  @DisplayName("PRS-IDN-9: control characters (Cc) are removed, other characters kept")
  void controlsRemoved() {
    assertThat(DisplayNames.sanitize("A\u0000l\u001Fi\u007Fc\u0080e\u009F\t\n")).isEqualTo("Alice");
    assertThat(DisplayNames.sanitize("Zoë \u200B\u00A0😀")).isEqualTo("Zoë \u200B\u00A0😀");
  }

  @Test
  @DisplayName("PRS-IDN-9: a name over 256 UTF-8 bytes is cut at a character boundary")
  void truncatedAtCharacterBoundary() {
    assertThat(DisplayNames.sanitize("a".repeat(300))).isEqualTo("a".repeat(256));
    String emoji = DisplayNames.sanitize("a" + "😀".repeat(100)); // 1 + 4 × 63 = 253; a 64th would need 257
    assertThat(emoji).isEqualTo("a" + "😀".repeat(63));
    assertThat(DisplayNames.sanitize("€".repeat(100)).getBytes(StandardCharsets.UTF_8)).hasSize(255);
    assertThat(DisplayNames.sanitize("\u0001".repeat(300) + "b".repeat(256))).isEqualTo("b".repeat(256));
  }

  @Test
  @DisplayName("PRS-IDN-9: a lone surrogate, which UTF-8 cannot carry, becomes U+FFFD")
  void loneSurrogate() {
    assertThat(DisplayNames.sanitize("x\uD800y")).isEqualTo("x\uFFFDy");
  }

  @Test
  @DisplayName("PRS-IDN-9: every Identity holds a sanitized display name, whatever authenticated it")
  void identitySanitizes() {
    Identity id = new Identity("u", "N\u0007ame" + "n".repeat(300), Optional.empty(), Optional.empty());
    assertThat(id.displayName()).startsWith("Name").hasSize(256);
  }
}
