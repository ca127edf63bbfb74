package dev.presence.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The identifier checks against {@code spec/vectors}. Cases given as bytes that are not UTF-8 cannot reach a Java
 * string; the server judges them on the wire (PRS-IDN-7), so here they only have to be marked invalid.
 */
class IdentifiersTest {

  @Test
  @DisplayName("PRS-ROOM-1: room ids follow spec/vectors/room_ids.json")
  void roomIds() throws IOException {
    judge("room_ids.json", Identifiers::isValidRoomId);
  }

  @Test
  @DisplayName("PRS-SUB-1: subscription ids follow spec/vectors/subscription_ids.json")
  void subscriptionIds() throws IOException {
    judge("subscription_ids.json", Identifiers::isValidSubscriptionId);
  }

  @Test
  @DisplayName("PRS-IDN-5: user ids follow spec/vectors/user_ids.json, U+00A0 alone included")
  void userIds() throws IOException {
    judge("user_ids.json", Identifiers::isValidUserId);
  }

  @Test
  @DisplayName("PRS-IDN-5: a string with an unpaired surrogate has no UTF-8 form and is no user id")
  void unpairedSurrogate() {
    assertThat(Identifiers.isValidUserId("a\ud800")).isFalse();
    assertThat(Identifiers.isValidUserId(null)).isFalse();
  }

  private static void judge(String file, Predicate<String> check) throws IOException {
    List<Struct> cases = SharedVectors.cases(file);
    assertThat(cases).isNotEmpty();
    for (Struct c : cases) {
      boolean valid = c.getFieldsOrThrow("valid").getBoolValue();
      String why = SharedVectors.text(c, "why");
      Optional<String> value = c.containsFields("value")
          ? Optional.of(SharedVectors.text(c, "value"))
          : strictUtf8(HexFormat.of().parseHex(SharedVectors.text(c, "utf8_hex")));
      if (value.isPresent()) {
        assertThat(check.test(value.get())).as("%s: %s", file, why).isEqualTo(valid);
      } else {
        assertThat(valid).as("%s: invalid UTF-8 is never a valid identifier: %s", file, why).isFalse();
      }
    }
  }

  private static Optional<String> strictUtf8(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
