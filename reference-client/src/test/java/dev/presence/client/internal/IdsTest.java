package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.spec.Vectors;
import dev.presence.conformance.spec.Vectors.IdCase;
import dev.presence.conformance.spec.Vectors.IdKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Identifier formats, judged by the shared vectors in {@code spec/vectors}. The client checks strings from the
 * application, so the cases that are not valid UTF-8, which no Java string holds, are the server's concern.
 */
class IdsTest {

  private final Vectors vectors = Vectors.in(vectorDirectory());

  @Test
  @DisplayName("PRS-ROOM-1: room ids follow spec/vectors/room_ids.json")
  void roomIds() {
    judge(IdKind.ROOM, Ids::isValidRoomId);
  }

  @Test
  @DisplayName("PRS-IDN-5: user ids follow spec/vectors/user_ids.json")
  void userIds() {
    judge(IdKind.USER, Ids::isValidUserId);
  }

  @Test
  @DisplayName("PRS-IDN-5: a string with an unpaired surrogate has no UTF-8 form and is no user id")
  void unpairedSurrogate() {
    assertThat(Ids.isValidUserId("a\ud800")).isFalse();
  }

  private void judge(IdKind kind, Predicate<String> check) {
    List<IdCase> strings = vectors.ids(kind).stream().filter(c -> c.text().isPresent()).toList();
    assertThat(strings).isNotEmpty();
    for (IdCase c : strings) {
      assertThat(check.test(c.text().get())).as("%s: %s", kind.file(), c.why()).isEqualTo(c.valid());
    }
  }

  /** The tests run in the module directory; the vectors live at the repository root. */
  private static Path vectorDirectory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("spec/vectors"))) {
        return dir.resolve("spec/vectors");
      }
    }
    throw new IllegalStateException("no spec/vectors above " + Path.of("").toAbsolutePath());
  }
}
