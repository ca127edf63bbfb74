package dev.presence.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The key=value form of log lines. */
class KeyValuesTest {
  @Test
  @DisplayName("Pairs keep their order; a value that would split the line or read as empty is quoted")
  void quotesOnlyWhatNeedsIt() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("port", "50051");
    fields.put("jwtIssuer", "an \"issuer\" with spaces\\");
    fields.put("jwtAudience", "");
    assertThat(KeyValues.join(fields))
        .isEqualTo("port=50051 jwtIssuer=\"an \\\"issuer\\\" with spaces\\\\\" jwtAudience=\"\"");
  }
}
