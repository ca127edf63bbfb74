package dev.presence.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Identifier formats, judged by the shared vectors in {@code spec/vectors} (read here with protobuf's JSON parser,
 * since the server's tests cannot use the kit's loader).
 */
class IdsTest {

  @Test
  @DisplayName("PRS-ROOM-1: room ids follow spec/vectors/room_ids.json")
  void roomIds() throws IOException {
    judge("room_ids.json", Ids::isValidRoomId);
  }

  @Test
  @DisplayName("PRS-SUB-1: subscription ids follow spec/vectors/subscription_ids.json")
  void subscriptionIds() throws IOException {
    judge("subscription_ids.json", Ids::isValidSubscriptionId);
  }

  @Test
  @DisplayName("PRS-IDN-5: user ids follow spec/vectors/user_ids.json; invalid UTF-8 is LenientDecodingIT's")
  void userIds() throws IOException {
    judge("user_ids.json", Ids::isValidUserId);
  }

  @Test
  @DisplayName("PRS-IDN-5: a string with an unpaired surrogate has no UTF-8 form and is no user id")
  void unpairedSurrogate() {
    assertThat(Ids.isValidUserId("a\ud800")).isFalse();
  }

  /** Cases given as bytes that are not UTF-8 are judged on the wire, by LenientDecodingIT (PRS-IDN-7). */
  private static void judge(String file, Predicate<String> check) throws IOException {
    List<Struct> cases = cases(file);
    assertThat(cases).isNotEmpty();
    for (Struct c : cases) {
      boolean valid = c.getFieldsOrThrow("valid").getBoolValue();
      String why = c.getFieldsOrThrow("why").getStringValue();
      Optional<String> value = c.containsFields("value")
          ? Optional.of(c.getFieldsOrThrow("value").getStringValue())
          : strictUtf8(HexFormat.of().parseHex(c.getFieldsOrThrow("utf8_hex").getStringValue()));
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

  private static List<Struct> cases(String file) throws IOException {
    Struct.Builder root = Struct.newBuilder();
    JsonFormat.parser().merge(Files.readString(vectors().resolve(file), StandardCharsets.UTF_8), root);
    return root.getFieldsOrThrow("cases").getListValue().getValuesList().stream().map(Value::getStructValue).toList();
  }

  /** The tests run in the module directory; the vectors live at the repository root. */
  private static Path vectors() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("spec/vectors"))) {
        return dir.resolve("spec/vectors");
      }
    }
    throw new IllegalStateException("no spec/vectors above " + Path.of("").toAbsolutePath());
  }
}
