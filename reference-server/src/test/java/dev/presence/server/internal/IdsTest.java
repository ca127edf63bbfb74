package dev.presence.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
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
    judge("room_ids.json", Ids::isValidRoomId, Ids::isValidRoomId);
  }

  @Test
  @DisplayName("PRS-SUB-1: subscription ids follow spec/vectors/subscription_ids.json")
  void subscriptionIds() throws IOException {
    judge("subscription_ids.json", Ids::isValidSubscriptionId, Ids::isValidSubscriptionId);
  }

  @Test
  @DisplayName("PRS-IDN-5, PRS-IDN-7: user ids follow spec/vectors/user_ids.json, invalid UTF-8 included")
  void userIds() throws IOException {
    judge("user_ids.json", Ids::isValidUserId, Ids::isValidUserId);
  }

  @Test
  @DisplayName("PRS-IDN-5: a string with an unpaired surrogate has no UTF-8 form and is no user id")
  void unpairedSurrogate() {
    assertThat(Ids.isValidUserId("a\ud800")).isFalse();
  }

  private static void judge(String file, Predicate<String> text, Predicate<byte[]> bytes) throws IOException {
    List<Struct> cases = cases(file);
    assertThat(cases).isNotEmpty();
    for (Struct c : cases) {
      boolean valid = c.getFieldsOrThrow("valid").getBoolValue();
      String why = c.getFieldsOrThrow("why").getStringValue();
      byte[] utf8;
      if (c.containsFields("value")) {
        String value = c.getFieldsOrThrow("value").getStringValue();
        assertThat(text.test(value)).as("%s: %s", file, why).isEqualTo(valid);
        utf8 = value.getBytes(StandardCharsets.UTF_8);
      } else {
        utf8 = HexFormat.of().parseHex(c.getFieldsOrThrow("utf8_hex").getStringValue());
      }
      assertThat(bytes.test(utf8)).as("%s as bytes: %s", file, why).isEqualTo(valid);
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
